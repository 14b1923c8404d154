package org.mailwright.dns;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A minimal SMTP client for the self-test: reads the greeting, sends a command, reads the (multi-line)
 * reply (RFC 5321 §4.2). It never sends DATA. Certificates are not verified here: the self-test
 * judges our certificate from its file, and this only needs to reach the greeting behind implicit TLS.
 */
final class SmtpProbe implements Closeable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    private SmtpProbe(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        this.out = socket.getOutputStream();
    }

    static SmtpProbe connect(InetSocketAddress address, boolean implicitTls, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            if (implicitTls) {
                SSLSocket tls = (SSLSocket) trustingContext().getSocketFactory()
                        .createSocket(s, address.getHostString(), address.getPort(), true);
                tls.startHandshake();
                return new SmtpProbe(tls);
            }
            return new SmtpProbe(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The reply lines; the first three characters of the last are the code. */
    List<String> reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = in.readLine();
            if (line == null) throw new IOException("connection closed" + (lines.isEmpty() ? "" : " after " + lines));
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') return lines;
        }
    }

    List<String> command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    static int code(List<String> reply) {
        String last = reply.get(reply.size() - 1);
        try {
            return Integer.parseInt(last.substring(0, 3));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    static String last(List<String> reply) {
        return reply.get(reply.size() - 1);
    }

    @Override
    public void close() {
        try {
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    private static SSLContext trustingContext() throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
                @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
                @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS in this Java runtime: " + e.getMessage(), e);
        }
    }
}
