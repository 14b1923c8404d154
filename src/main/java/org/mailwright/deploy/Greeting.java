package org.mailwright.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Reads the SMTP greeting of a listener on the remote host through the SSH connection (direct-tcpip), with a
 * timeout: a port held by a program that never speaks must not hang the deploy. The tunnel is bridged to a local
 * loopback socket so that socket timeouts apply and implicit TLS (port 465) can be spoken over it.
 */
final class Greeting {
    private Greeting() {}

    static String read(SshConnection ssh, String host, int port, boolean implicitTls, Duration timeout) throws IOException {
        try (SshConnection.Tunnel tunnel = ssh.connectThere(host, port);
             ServerSocket bridge = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), bridge.getLocalPort());
             Socket inner = bridge.accept()) {
            pump(tunnel.in(), inner.getOutputStream(), inner);
            pump(inner.getInputStream(), tunnel.out(), inner);
            plain.setSoTimeout((int) timeout.toMillis());
            Socket s = plain;
            if (implicitTls) {
                // Only "does it answer": the certificate is checked by `tls status` and the DNS self-test, not here.
                SSLSocket tls = (SSLSocket) trustAll().getSocketFactory().createSocket(plain, host, port, true);
                tls.setSoTimeout((int) timeout.toMillis());
                tls.startHandshake();
                s = tls;
            }
            String line = readLine(s.getInputStream());
            s.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return line;
        }
    }

    private static void pump(InputStream from, OutputStream to, Socket closeWhenDone) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = from.read(buf)) >= 0; ) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException ignored) {
                // one side closed: the other follows below
            } finally {
                try {
                    closeWhenDone.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "greeting-bridge");
        t.setDaemon(true);
        t.start();
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            if (c != '\r') b.append((char) c);
            if (b.length() > 512) break;
        }
        if (b.length() == 0) throw new IOException("connection closed without a greeting");
        return b.toString();
    }

    private static SSLContext trustAll() throws IOException {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return c;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("no TLS here: " + e.getMessage(), e);
        }
    }
}
