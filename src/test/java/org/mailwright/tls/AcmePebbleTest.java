package org.mailwright.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import org.mailwright.testing.TestDns;
import org.mailwright.testing.InProcessCli;

/**
 * {@code tls acme} and the engine's renewal against Pebble, Let's Encrypt's own ACME test server, which validates
 * HTTP-01 by asking Mailwright's responder — found through a real DNS server (dnsmasq) — for the token.
 * Failures must say what is wrong in words, exit 1, and leave the certificate in use untouched.
 */
class AcmePebbleTest {
    static final String PEBBLE_ADDRESS = "127.0.4.1";
    static final String DNS_ADDRESS = "127.0.4.2";
    /** Where Mailwright's listeners and its challenge responder listen: "this host" for the CA. */
    static final String HOST_ADDRESS = "127.0.4.3";
    /** Another machine, where the A record of a misconfigured name points. */
    static final String ELSEWHERE = "127.0.4.9";
    static final String ZONE = "acme.test";
    static final String HOST = "mail.acme.test";
    static final String WRONG_HOST = "wrong.acme.test";
    static final String MISSING_HOST = "missing.acme.test";

    @TempDir
    static Path tmp;
    static TestDns dns;
    static Pebble pebble;

    @BeforeAll
    static void startPeers() throws Exception {
        dns = TestDns.start(tmp.resolve("dns"), DNS_ADDRESS, TestDns.zone().local(ZONE)
                .host(HOST, HOST_ADDRESS).host(WRONG_HOST, ELSEWHERE).host("mta-sts." + ZONE, HOST_ADDRESS));
        pebble = Pebble.start(tmp.resolve("pebble"), PEBBLE_ADDRESS, TestData.freePort(), dns.resolver());
    }

    @AfterAll
    static void stopPeers() throws Exception {
        if (pebble != null) pebble.close();
        if (dns != null) dns.close();
    }

    /** A data directory whose hostname is {@code host}, listening on this host's address, set up for Pebble. */
    static TestData data(String name, String host) throws Exception {
        TestData d = new TestData(tmp.resolve(name), host, ZONE, HOST_ADDRESS);
        Files.createDirectories(d.dir.resolve("tls"));
        Files.copy(pebble.caPem, d.dir.resolve("tls/acme-trust.pem"));
        d.config(c -> TlsPeers.withIp(TlsPeers.withTls(c, TlsPeers.acme(c.tls(), pebble.directory(), pebble.httpPort,
                "tls/acme-trust.pem")), HOST_ADDRESS));
        return d;
    }

    static String certFile(TestData d) throws Exception {
        return Files.readString(d.dir.resolve("tls/fullchain.pem"));
    }

    @Test
    void tlsAcmeGetsACertificateTheEngineServesAndRenewsWithoutRestart() throws Exception {
        TestData d = new TestData(tmp.resolve("happy"), HOST, ZONE, HOST_ADDRESS);
        d.config(c -> TlsPeers.withIp(c, HOST_ADDRESS));

        // The command as a user runs it: its own process, options on the command line.
        Peers.Result r = Peers.run(Peers.mailwright(d.dir, "tls", "acme", "--directory", pebble.directory(),
                "--email", "postmaster@" + ZONE, "--http-port", String.valueOf(pebble.httpPort),
                "--trust", pebble.caPem.toString()), null, 300);
        assertThat(r.exit()).as(r.out()).isEqualTo(0);
        assertThat(r.out()).contains("Answering the HTTP-01 challenge for " + HOST).contains("issuer:    CN=Pebble Intermediate CA");

        Path tlsDir = d.dir.resolve("tls");
        assertThat(Files.getPosixFilePermissions(tlsDir.resolve("privkey.pem"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(tlsDir.resolve("acme-account.pem"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Config saved = ConfigLoader.load(d.dir);
        assertThat(saved.tls().mode()).isEqualTo(Config.TlsMode.ACME);
        assertThat(saved.tls().acmeDirectory()).isEqualTo(pebble.directory());
        assertThat(saved.tls().acmeHttpPort()).isEqualTo(pebble.httpPort);
        assertThat(saved.tls().acmeTrust()).isEqualTo("tls/acme-trust.pem");
        String accountKey = Files.readString(tlsDir.resolve("acme-account.pem"));

        try (Engine engine = Engine.start(d.dir)) {
            TlsPeers.Handshake first = TlsPeers.startTls(HOST_ADDRESS, d.submission, HOST);
            assertThat(first.out()).contains("issuer=CN = Pebble Intermediate CA");
            assertThat(first.issuer()).startsWith("CN=Pebble Intermediate CA");

            // A forced renewal by the engine itself: same responder, new certificate in use at once.
            assertThat(engine.renewal().orElseThrow().renew("forced by the test")).isEqualTo(CertificateRenewal.Outcome.RENEWED);
            TlsPeers.Handshake second = TlsPeers.startTls(HOST_ADDRESS, d.submission, HOST);
            assertThat(second.serial()).isNotEqualTo(first.serial());
            assertThat(second.issuer()).startsWith("CN=Pebble Intermediate CA");
            assertThat(d.maillog()).contains(" tls renewal-start mode=acme names=" + HOST)
                    .contains(" tls renewed mode=acme serial=" + second.serial());

            // `tls acme` beside the running engine: the engine picks up the new files by itself.
            InProcessCli.Run again = InProcessCli.inData(d.dir, "tls", "acme");
            assertThat(again.exit()).as(again.err()).isEqualTo(0);
            String third = Pem.readCertificates(tlsDir.resolve("fullchain.pem")).get(0).getSerialNumber().toString(16);
            assertThat(third).isNotEqualTo(second.serial());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(TlsPeers.startTls(HOST_ADDRESS, d.submission, HOST).serial()).isEqualTo(third));
            assertThat(d.maillog()).contains(" tls reloaded serial=" + third);
        }
        // One account for all of it: the key made on the first order is reused.
        assertThat(Files.readString(tlsDir.resolve("acme-account.pem"))).isEqualTo(accountKey);
    }

    @Test
    void theEngineRenewsACertificateThatExpiresWithinThirtyDays() throws Exception {
        TestData d = data("expiring", HOST);
        d.config(c -> TlsPeers.withTls(c, new Config.Tls(c.tls().mode(), c.tls().cert(), c.tls().key(), c.tls().acmeDirectory(),
                c.tls().acmeEmail(), c.tls().acmeHttpPort(), List.of("mta-sts." + ZONE), c.tls().acmeTrust())));
        SelfSigned.create(List.of(HOST, "mta-sts." + ZONE), Duration.ofDays(10), d.dir.resolve("tls/fullchain.pem"),
                d.dir.resolve("tls/privkey.pem"));
        try (Engine engine = Engine.start(d.dir)) {
            CertificateRenewal renewal = engine.renewal().orElseThrow();
            assertThat(renewal.check()).isEqualTo(CertificateRenewal.Outcome.RENEWED);
            assertThat(d.maillog()).contains("why=\"certificate expires in 9 days\"");
            TlsPeers.Handshake h = TlsPeers.startTls(HOST_ADDRESS, d.smtp, HOST);
            assertThat(h.issuer()).startsWith("CN=Pebble Intermediate CA");
            assertThat(CertificateInfo.of(h.leaf()).names()).containsExactlyInAnyOrder(HOST, "mta-sts." + ZONE);
            // Renewed: the next daily check has nothing to do, and says so.
            assertThat(renewal.check()).isEqualTo(CertificateRenewal.Outcome.NOT_DUE);
            assertThat(d.maillog()).contains(" tls checked mode=acme days_left=");
        }
    }

    @Test
    void aClosedChallengePortIsNamedAndTheOldCertificateStays() throws Exception {
        TestData d = data("closed", HOST);
        String before = certFile(d);
        int closed = TestData.freePort(); // Mailwright answers here; Pebble asks on its httpPort, where nobody listens
        Peers.Result r = Peers.run(Peers.mailwright(d.dir, "tls", "acme", "--http-port", String.valueOf(closed)), null, 300);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("mailwright: the CA could not reach http://" + HOST + "/.well-known/acme-challenge/")
                .contains("port 80 is closed or forwarded elsewhere")
                .contains("the certificate in use is unchanged");
        assertThat(certFile(d)).isEqualTo(before);
        assertThat(ConfigLoader.load(d.dir).tls().acmeHttpPort()).as("a failed order saves no option").isEqualTo(pebble.httpPort);
    }

    @Test
    void aNameThatPointsElsewhereIsNamed() throws Exception {
        TestData d = data("elsewhere", WRONG_HOST);
        String before = certFile(d);
        InProcessCli.Run r = InProcessCli.inData(d.dir, "tls", "acme");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("the name " + WRONG_HOST + " resolves to " + ELSEWHERE + ", not to this host (" + HOST_ADDRESS + ")");
        assertThat(certFile(d)).isEqualTo(before);
    }

    @Test
    void aNameThatDoesNotResolveIsNamed() throws Exception {
        TestData d = data("missing", MISSING_HOST);
        String before = certFile(d);
        InProcessCli.Run r = InProcessCli.inData(d.dir, "tls", "acme");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("the name " + MISSING_HOST + " does not resolve").contains("add an A record for " + MISSING_HOST);
        assertThat(certFile(d)).isEqualTo(before);
    }

    @Test
    void anAcmeServerThatIsDownIsNamed() throws Exception {
        TestData d = data("down", HOST);
        String before = certFile(d);
        String nobody = "https://" + PEBBLE_ADDRESS + ":" + TestData.freePort() + "/dir";
        InProcessCli.Run r = InProcessCli.inData(d.dir, "tls", "acme", "--directory", nobody);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("the ACME server " + nobody + " is not reachable (connection refused)");
        assertThat(certFile(d)).isEqualTo(before);
    }

    @Test
    void anUntrustedAcmeServerIsNamed() throws Exception {
        TestData d = data("untrusted", HOST);
        d.config(c -> TlsPeers.withTls(c, TlsPeers.acme(c.tls(), pebble.directory(), pebble.httpPort, "")));
        InProcessCli.Run r = InProcessCli.inData(d.dir, "tls", "acme");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("presented an HTTPS certificate this host does not trust").contains("--trust");
    }

    @Test
    void aRefusedAccountEmailIsNamed() throws Exception {
        TestData d = data("email", HOST);
        String before = certFile(d);
        InProcessCli.Run r = InProcessCli.inData(d.dir, "tls", "acme", "--email", "nobody");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("the CA refused the account email \"nobody\"").contains("--email");
        assertThat(certFile(d)).isEqualTo(before);
    }

    @Test
    void aFailedRenewalInTheEngineIsLoggedAndTheOldCertificateStaysInUse() throws Exception {
        TestData d = data("engine-fails", HOST);
        int closed = TestData.freePort();
        d.config(c -> TlsPeers.withTls(c, TlsPeers.acme(c.tls(), pebble.directory(), closed, "tls/acme-trust.pem")));
        try (Engine engine = Engine.start(d.dir)) {
            String before = TlsPeers.startTls(HOST_ADDRESS, d.smtp, HOST).serial();
            assertThat(engine.renewal().orElseThrow().check()).isEqualTo(CertificateRenewal.Outcome.FAILED);
            assertThat(d.maillog()).contains(" tls renewal-start mode=acme")
                    .contains(" tls renewal-failed mode=acme reason=challenge-unreachable error=\"the CA could not reach");
            assertThat(TlsPeers.startTls(HOST_ADDRESS, d.smtp, HOST).serial()).isEqualTo(before);
        }
    }
}
