package org.mailwright.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.mailwright.config.Config;
import org.mailwright.testing.Peers;

/** What the TLS tests share: openssl as the client, the CLI run in this JVM, config edits. */
final class TlsPeers {
    private TlsPeers() {}

    /** What {@code openssl s_client -starttls smtp} saw: its whole output and the server's leaf certificate. */
    record Handshake(String out, X509Certificate leaf) {
        String serial() {
            return leaf.getSerialNumber().toString(16);
        }

        String issuer() {
            return leaf.getIssuerX500Principal().getName();
        }
    }

    static Handshake startTls(String address, int port, String serverName) throws Exception {
        String openssl = Peers.require("openssl", "openssl");
        Peers.Result r = Peers.run(List.of(openssl, "s_client", "-starttls", "smtp", "-connect", address + ":" + port,
                "-servername", serverName), "QUIT\n", 60);
        int begin = r.out().indexOf("-----BEGIN CERTIFICATE-----");
        int end = r.out().indexOf("-----END CERTIFICATE-----");
        if (begin < 0 || end < 0) throw new AssertionError("openssl s_client got no certificate:\n" + r.out());
        String pem = r.out().substring(begin, end + "-----END CERTIFICATE-----".length()) + "\n";
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        return new Handshake(r.out(), leaf);
    }

    static Config withTls(Config c, Config.Tls t) {
        return c.withTls(t);
    }

    static Config withIp(Config c, String ip) {
        return c.withIp(ip);
    }

    /** ACME settings for a test CA; {@code trust} relative to the data directory or empty. */
    static Config.Tls acme(Config.Tls t, String directory, int httpPort, String trust) {
        return new Config.Tls(Config.TlsMode.ACME, t.cert(), t.key(), directory, "postmaster@acme.test", httpPort,
                t.extraNames(), trust);
    }
}
