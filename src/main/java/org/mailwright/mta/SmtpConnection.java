package org.mailwright.mta;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.mailwright.queue.Outcome;

/**
 * One SMTP client connection (RFC 5321) to one address of one host: the commands the mta needs and the
 * peer's replies verbatim, so the maillog and bounces can quote them. STARTTLS (RFC 3207), AUTH PLAIN
 * (RFC 4954) and PIPELINING (RFC 2920) are used when the peer offers them.
 */
final class SmtpConnection implements Closeable, ConnectionCache.Reusable {
    /** A reply: its code and its text lines joined by a space, as it is quoted in {@code stat=}. */
    record Reply(int code, String text, List<String> lines) {
        Reply(int code, String text) { this(code, text, List.of(text)); }
        boolean positive() { return code >= 200 && code < 400; }
        /** What a reply that did not accept means for the recipients: {@link Outcome#ofRefusal(int)}. */
        Outcome refusal() { return Outcome.ofRefusal(code); }
        @Override public String toString() { return text; }
    }

    /** What TLS the connection runs on: protocol, cipher suite, and whether the peer's certificate verified. */
    record TlsState(String protocol, String cipher, boolean verified, String verifyError) {}

    private final String hostName;
    private final InetSocketAddress address;
    private final Duration timeout;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private Set<String> extensions = Set.of();
    private TlsState tls;
    private long lastUsedNanos = System.nanoTime();
    private int transactions;

    private SmtpConnection(String hostName, InetSocketAddress address, Duration timeout) {
        this.hostName = hostName;
        this.address = address;
        this.timeout = timeout;
    }

    /** Connects and reads the greeting; a greeting other than 220 closes the connection and throws. */
    static SmtpConnection open(String hostName, InetSocketAddress address, Duration timeout) throws IOException, ReplyException {
        SmtpConnection c = new SmtpConnection(hostName, address, timeout);
        Socket s = new Socket();
        try {
            s.connect(address, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.setTcpNoDelay(true);
            c.use(s);
            Reply greeting = c.read();
            if (greeting.code() != 220) {
                c.close();
                throw new ReplyException("greeting", greeting);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 8192);
        out = new BufferedOutputStream(s.getOutputStream(), 65536);
    }

    String hostName() { return hostName; }
    InetSocketAddress address() { return address; }
    TlsState tls() { return tls; }
    boolean offers(String extension) { return extensions.contains(extension.toUpperCase(Locale.ROOT)); }
    @Override public int transactions() { return transactions; }
    @Override public long idleNanos() { return System.nanoTime() - lastUsedNanos; }

    /** {@code host[ip]}, as the maillog names a relay. */
    String relay() {
        return hostName + "[" + address.getAddress().getHostAddress() + "]";
    }

    /** EHLO, and HELO when the peer does not know EHLO (RFC 5321 §3.2). */
    void hello(String ourName) throws IOException, ReplyException {
        Reply r = command("EHLO " + ourName);
        if (r.code() == 250) {
            extensions = parseExtensions(r.lines());
            return;
        }
        Reply h = command("HELO " + ourName);
        if (h.code() != 250) throw new ReplyException("HELO", h);
        extensions = Set.of();
    }

    /**
     * STARTTLS and the handshake; the caller says EHLO again afterwards (RFC 3207 §4.2).
     * A refused STARTTLS throws {@link ReplyException}; a failed handshake throws IOException and leaves the connection unusable.
     */
    void startTls(ClientTls clientTls) throws IOException, ReplyException {
        Reply r = command("STARTTLS");
        if (r.code() != 220) throw new ReplyException("STARTTLS", r);
        ClientTls.Handshake h = clientTls.handshake(socket, hostName, address.getPort());
        SSLSocket ssl = h.socket();
        ssl.setSoTimeout((int) timeout.toMillis());
        use(ssl);
        tls = new TlsState(ssl.getSession().getProtocol(), ssl.getSession().getCipherSuite(), h.verified(), h.verifyError());
        extensions = Set.of();
    }

    /** AUTH PLAIN (RFC 4616); the password never appears in any exception or log. */
    void authenticate(String user, String password) throws IOException, ReplyException {
        String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        Reply r = command("AUTH PLAIN " + token);
        if (r.code() != 235) throw new ReplyException("AUTH", r);
    }

    /** Sends a command and reads its reply. */
    Reply command(String line) throws IOException {
        send(line);
        out.flush();
        return read();
    }

    /**
     * Writes a command without waiting for its reply (PIPELINING, RFC 2920). A CR, LF or NUL in it would end it
     * early or be read differently by the peer (RFC 5321 §2.3.8): such a line is refused, never sent.
     */
    void send(String line) throws IOException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IOException("refusing to send a command with a CR, LF or NUL in it");
            }
        }
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    void flush() throws IOException {
        out.flush();
    }

    /**
     * Writes the message through {@link DataTransparency} (CRLF line ends only, dot-stuffing, a final CRLF and ".",
     * RFC 5321 §4.5.2), then reads the reply.
     */
    Reply content(byte[] message) throws IOException {
        DataTransparency data = DataTransparency.data(out);
        data.write(message, 0, message.length);
        data.finish();
        transactions++;
        return read();
    }

    /** Reads one (possibly multi-line) reply. */
    Reply read() throws IOException {
        StringBuilder text = new StringBuilder();
        List<String> lines = new ArrayList<>();
        int code;
        for (;;) {
            String line = readLine();
            if (line.length() < 3) throw new IOException("malformed reply from " + relay() + ": " + line);
            try {
                code = Integer.parseInt(line.substring(0, 3));
            } catch (NumberFormatException e) {
                throw new IOException("malformed reply from " + relay() + ": " + line);
            }
            if (text.length() > 0) text.append(' ');
            text.append(line);
            lines.add(line);
            if (line.length() == 3 || line.charAt(3) != '-') break;
        }
        lastUsedNanos = System.nanoTime();
        return new Reply(code, text.toString(), List.copyOf(lines));
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        for (;;) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed by " + relay());
            if (b == '\n') break;
            if (line.size() > 4096) throw new IOException("reply line too long from " + relay());
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }

    /** EHLO keywords (RFC 5321 §4.1.1.1), upper case; "AUTH PLAIN LOGIN" is kept as "AUTH" plus "AUTH=PLAIN"… */
    static Set<String> parseExtensions(List<String> lines) {
        Set<String> ext = new LinkedHashSet<>();
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i).length() < 4 ? "" : lines.get(i).substring(4).trim().toUpperCase(Locale.ROOT);
            if (l.isEmpty()) continue;
            String[] words = l.split("\\s+");
            ext.add(words[0]);
            for (int w = 1; w < words.length; w++) ext.add(words[0] + "=" + words[w]);
        }
        return Set.copyOf(ext);
    }

    /** QUIT politely and close (RFC 5321 §4.1.1.10). */
    @Override
    public void quit() {
        try {
            socket.setSoTimeout(2000);
            command("QUIT");
        } catch (IOException ignored) {
            // the peer may have gone already; closing is all that is left to do
        } finally {
            close();
        }
    }

    @Override
    public boolean isOpen() {
        return socket != null && !socket.isClosed();
    }

    @Override
    public void close() {
        try {
            if (socket != null) socket.close();
        } catch (IOException ignored) {
            // nothing to do about a failed close
        }
    }

    /** A reply that ends what the connection was doing: the step and the peer's reply. */
    static final class ReplyException extends Exception {
        private final Reply reply;

        ReplyException(String step, Reply reply) {
            super(step + ": " + reply.text());
            this.reply = reply;
        }

        Reply reply() {
            return reply;
        }
    }
}
