package org.mailwright.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A small SMTP client on a raw socket, for what swaks cannot express: exact bytes on the wire (bare LF,
 * pipelining in one write, STARTTLS injection). Replies are read whole (multi-line joined with \n).
 */
public final class SmtpClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    public final String greeting;

    private SmtpClient(Socket socket) throws IOException {
        use(socket);
        socket.setSoTimeout(20_000);
        this.greeting = reply();
    }

    public static SmtpClient connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new SmtpClient(s);
    }

    /** Connects to an engine on another loopback address (a "remote" host in deploy tests). */
    public static SmtpClient connectTo(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 5000);
        return new SmtpClient(s);
    }

    /**
     * Logs in as a mail client would on a submission port: EHLO, STARTTLS (which must answer 220), EHLO again, AUTH
     * PLAIN; returns the AUTH reply ({@code 235 …} or {@code 535 …}).
     */
    public static String login(String host, int port, String user, String password) throws IOException {
        try (SmtpClient c = connectTo(host, port)) {
            c.ehlo();
            String tls = c.startTls();
            if (!tls.startsWith("220")) throw new AssertionError("STARTTLS on " + host + ":" + port + " answered " + tls);
            c.ehlo();
            return c.authPlain(user, password);
        }
    }

    /** Connects from another loopback address (127.0.0.2, …): another client as far as per-address limits go. */
    public static SmtpClient connectFrom(String localAddress, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new SmtpClient(s);
    }

    public static SmtpClient connectTls(int port) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        return new SmtpClient(ssl);
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String a) {}
                public void checkServerTrusted(X509Certificate[] c, String a) {}
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, new SecureRandom());
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a command (CRLF added) and returns the reply. */
    public String cmd(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    /** Writes raw bytes in one write. */
    public void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Writes raw bytes as they are. */
    public void sendBytes(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** One whole reply (all lines of a multi-line one), or null at end of stream. */
    public String reply() throws IOException {
        List<String> lines = new ArrayList<>();
        for (;;) {
            String l = line();
            if (l == null) return lines.isEmpty() ? null : String.join("\n", lines);
            lines.add(l);
            if (l.length() < 4 || l.charAt(3) != '-') return String.join("\n", lines);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c == -1 && b.size() == 0) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    public String ehlo() throws IOException {
        return cmd("EHLO client.test");
    }

    /** STARTTLS and the handshake; returns the 220 reply. */
    public String startTls() throws IOException {
        String r = cmd("STARTTLS");
        if (!r.startsWith("220")) return r;
        upgrade();
        return r;
    }

    /** Wraps the socket in TLS (after a 220 to STARTTLS that was read elsewhere). */
    public void upgrade() throws IOException {
        SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        use(ssl);
    }

    public String authPlain(String user, String password) throws IOException {
        String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return cmd("AUTH PLAIN " + token);
    }

    /** MAIL, RCPTs, DATA and the message (dot-stuffed here); returns the final reply or the first failure. */
    public String send(String from, List<String> to, String message) throws IOException {
        String r = cmd("MAIL FROM:<" + from + ">");
        if (!r.startsWith("250")) return r;
        for (String t : to) {
            r = cmd("RCPT TO:<" + t + ">");
            if (!r.startsWith("250")) return r;
        }
        r = cmd("DATA");
        if (!r.startsWith("354")) return r;
        StringBuilder b = new StringBuilder();
        for (String l : message.replace("\r\n", "\n").split("\n", -1)) {
            b.append(l.startsWith(".") ? "." + l : l).append("\r\n");
        }
        if (message.endsWith("\n")) b.setLength(b.length() - 2);
        send(b + ".\r\n");
        return reply();
    }

    public boolean isTls() {
        return socket instanceof SSLSocket;
    }

    public SSLSocket sslSocket() {
        return (SSLSocket) socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
