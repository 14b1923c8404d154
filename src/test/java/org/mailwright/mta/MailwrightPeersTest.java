package org.mailwright.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailwright.mta.MtaTestSupport.awaitMessage;
import static org.mailwright.mta.MtaTestSupport.deliveries;
import static org.mailwright.mta.MtaTestSupport.events;
import static org.mailwright.mta.MtaTestSupport.submit;

import java.nio.charset.StandardCharsets;
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
import org.mailwright.log.MaillogEntry;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import org.mailwright.testing.TestDns;

/**
 * Mailwright talking to Mailwright, each a real SMTP server: alpha (127.0.3.1) and beta (127.0.3.3) exchange mail by
 * MX on the same port number over STARTTLS (self-signed certificates: opportunistic TLS, logged as unverified);
 * gamma (127.0.3.5) sends everything through beta's submission port as its smarthost (STARTTLS + AUTH).
 */
class MailwrightPeersTest {
    private static final String SMARTHOST_PASSWORD = "smarthost-secret-77";

    @TempDir static Path tmp;
    static TestDns dns;
    static TestData alpha;
    static TestData beta;
    static TestData gamma;
    static Engine alphaEngine;
    static Engine betaEngine;
    static Engine gammaEngine;
    static TestData epsilon;
    static Engine epsilonEngine;
    static Process sink;
    static Path sinkDumps;

    @BeforeAll
    static void start() throws Exception {
        Peers.require("swaks", "swaks");
        dns = TestDns.start(tmp.resolve("dns"), "127.0.3.1", TestDns.zone().local("test")
                .mx("alpha.test", "mx.alpha.test", 10).host("mx.alpha.test", "127.0.3.1")
                .mx("beta.test", "mx.beta.test", 10).host("mx.beta.test", "127.0.3.3")
                .mx("dead.test", "mx.dead.test", 10).host("mx.dead.test", "127.0.3.9")
                .mx("sink.test", "mx.sink.test", 10).host("mx.sink.test", "127.0.3.7"));
        int mxPort = TestData.freePort(); // the same port on both addresses: they are different hosts

        // Postfix's smtp-sink: a real SMTP server that does not offer STARTTLS; it keeps what it gets in sinkDumps.
        MtaTestSupport.openForPostfix(tmp);
        sinkDumps = Files.createDirectories(tmp.resolve("sink"));
        Files.setPosixFilePermissions(sinkDumps, PosixFilePermissions.fromString("rwxrwxrwx"));
        sink = new ProcessBuilder(Peers.require("smtp-sink", "postfix"), "-u", "nobody", "-d", sinkDumps + "/%M.",
                "127.0.3.7:" + mxPort, "10").redirectErrorStream(true).redirectOutput(tmp.resolve("sink.log").toFile()).start();

        alpha = new TestData(tmp.resolve("alpha"), "mx.alpha.test", "alpha.test", "127.0.3.1").user("ann", "ann-password-1");
        alpha.config(c -> TestData.withQueue(
                TestData.withOutbound(withSmtpPort(c, mxPort), outbound(dns.resolver(), mxPort, "", "", "")),
                // seconds, so that expiry is reached within the test
                new Config.Queue(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), Duration.ofSeconds(4))));

        beta = new TestData(tmp.resolve("beta"), "mx.beta.test", "beta.test", "127.0.3.3")
                .user("bert", "bert-password-1").user("relayc", SMARTHOST_PASSWORD);
        beta.config(c -> {
            Config withPort = TestData.withOutbound(withSmtpPort(c, mxPort), outbound(dns.resolver(), mxPort, "", "", ""));
            // The provider lets its customer's server send as its own domain.
            return withPort.withSubmission(new Config.Submission(true, List.of("relayc")));
        });

        gamma = new TestData(tmp.resolve("gamma"), "mail.gamma.test", "gamma.test", "127.0.3.5").user("cora", "cora-password-1");
        gamma.config(c -> TestData.withOutbound(c, outbound(dns.resolver(), 25, "127.0.3.3:" + beta.submission, "", "")));
        // The login as the Settings view and `config smarthost-login` set it: the password in a 0600 file.
        try (org.mailwright.admin.LocalAdmin admin = new org.mailwright.admin.LocalAdmin(gamma.dir)) {
            admin.smarthostLogin("relayc", SMARTHOST_PASSWORD);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(gamma.dir.resolve("smarthost.password")))).isEqualTo("rw-------");

        epsilon = new TestData(tmp.resolve("epsilon"), "mail.epsilon.test", "epsilon.test", "127.0.3.8").user("eve", "eve-password-1");
        epsilon.config(c -> TestData.withQueue(TestData.withOutbound(c,
                new Config.Outbound(dns.resolver(), mxPort, Config.OutboundTls.REQUIRE, "", "", "")),
                new Config.Queue(List.of(Duration.ofHours(1)), Duration.ofDays(4))));

        alphaEngine = Engine.start(alpha.dir);
        epsilonEngine = Engine.start(epsilon.dir);
        betaEngine = Engine.start(beta.dir);
        gammaEngine = Engine.start(gamma.dir);
    }

    private static Config.Outbound outbound(String resolver, int port, String smarthost, String user, String passwordFile) {
        return new Config.Outbound(resolver, port, Config.OutboundTls.OPPORTUNISTIC, smarthost, user, passwordFile);
    }

    private static Config withSmtpPort(Config c, int port) {
        List<Config.Listener> listeners = c.listeners().stream()
                .map(l -> l.auth() == Config.ListenerAuth.OPTIONAL ? new Config.Listener(l.address(), port, l.tls(), l.auth()) : l)
                .toList();
        return c.withListeners(listeners);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Engine e : new Engine[] {epsilonEngine, gammaEngine, betaEngine, alphaEngine}) if (e != null) e.close();
        if (dns != null) dns.close();
        if (sink != null) {
            sink.destroy();
            sink.waitFor();
        }
    }

    @Test
    void twoMailwrightsSendToEachOtherByMxOverStartTls() throws Exception {
        submit(alpha, "127.0.3.1", "ann", "ann-password-1", "ann@alpha.test", "alpha-to-beta", "bert@beta.test");
        submit(beta, "127.0.3.3", "bert", "bert-password-1", "bert@beta.test", "beta-to-alpha", "ann@alpha.test");

        String atBeta = new String(awaitMessage(() -> beta.delivered("bert"), "alpha-to-beta"), StandardCharsets.UTF_8);
        String atAlpha = new String(awaitMessage(() -> alpha.delivered("ann"), "beta-to-alpha"), StandardCharsets.UTF_8);
        assertThat(atBeta).contains("From: ann@alpha.test");
        assertThat(atAlpha).contains("From: bert@beta.test");

        assertThat(deliveries(alpha, "bert@beta.test", 1)).singleElement().satisfies(e ->
                assertThat(e.fields()).containsEntry("result", "Ok").containsEntry("relay", "mx.beta.test[127.0.3.3]"));
        assertThat(deliveries(beta, "ann@alpha.test", 1)).singleElement().satisfies(e ->
                assertThat(e.fields()).containsEntry("result", "Ok").containsEntry("relay", "mx.alpha.test[127.0.3.1]"));
        for (TestData sender : List.of(alpha, beta)) {
            assertThat(events(sender, "mta", "connected")).anySatisfy(e -> {
                assertThat(e.fields().get("tls")).matches("TLSv1\\.[23]");
                assertThat(e.fields()).containsEntry("verified", "no"); // self-signed: encrypted, not authenticated
                assertThat(e.fields().get("verify-error")).isNotBlank();
            });
        }
    }

    @Test
    void opportunisticSendsInClearWhenThePeerHasNoStartTlsRequireDoesNot() throws Exception {
        submit(alpha, "127.0.3.1", "ann", "ann-password-1", "ann@alpha.test", "clear-is-fine", "anyone@sink.test");
        submit(epsilon, "127.0.3.8", "eve", "eve-password-1", "eve@epsilon.test", "never-in-clear", "anyone@sink.test");

        awaitMessage(() -> listFiles(sinkDumps), "clear-is-fine");
        assertThat(deliveries(alpha, "anyone@sink.test", 1)).singleElement().satisfies(e ->
                assertThat(e.fields()).containsEntry("result", "Ok").containsEntry("relay", "mx.sink.test[127.0.3.7]"));
        assertThat(events(alpha, "mta", "connected")).anySatisfy(e ->
                assertThat(e.fields()).containsEntry("tls", "none").containsEntry("relay", "mx.sink.test[127.0.3.7]:" + sinkPort()));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !deliveries(epsilon, "anyone@sink.test").isEmpty());
        assertThat(deliveries(epsilon, "anyone@sink.test")).singleElement().satisfies(e -> {
            assertThat(e.fields()).containsEntry("result", "TempFail");
            assertThat(e.fields().get("stat")).contains("does not offer STARTTLS");
        });
        assertThat(epsilonEngine.scheduler().list()).singleElement().satisfies(e -> assertThat(e.to()).isEqualTo("anyone@sink.test"));
        for (Path p : listFiles(sinkDumps)) assertThat(Files.readString(p)).doesNotContain("never-in-clear");
    }

    private static int sinkPort() {
        return alpha.config().outbound().port();
    }

    private static List<Path> listFiles(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void smarthostGetsEverythingOverStartTlsWithAuthAndThePasswordIsNeverLogged() throws Exception {
        submit(gamma, "127.0.3.5", "cora", "cora-password-1", "cora@gamma.test", "via-smarthost", "bert@beta.test");

        String atBeta = new String(awaitMessage(() -> beta.delivered("bert"), "via-smarthost"), StandardCharsets.UTF_8);
        assertThat(atBeta).contains("From: cora@gamma.test");

        assertThat(events(gamma, "mta", "connected")).singleElement().satisfies(e -> {
            assertThat(e.fields().get("relay")).isEqualTo("127.0.3.3[127.0.3.3]:" + beta.submission);
            assertThat(e.fields().get("tls")).matches("TLSv1\\.[23]");
        });
        assertThat(events(gamma, "mta", "auth")).singleElement().satisfies(e ->
                assertThat(e.fields()).containsEntry("user", "relayc").containsEntry("result", "ok"));
        MaillogEntry ok = deliveries(gamma, "bert@beta.test", 1).get(0);
        assertThat(ok.fields()).containsEntry("result", "Ok").containsEntry("relay", "127.0.3.3[127.0.3.3]");
        // gamma never looked up beta.test's MX: everything goes to the smarthost.
        assertThat(dns.log()).doesNotContain("query[MX] beta.test from 127.0.3.5");
        assertThat(gamma.maillog()).doesNotContain(SMARTHOST_PASSWORD);
        assertThat(beta.maillog()).doesNotContain(SMARTHOST_PASSWORD);
    }

    @Test
    void aSmarthostPasswordFileOthersCanReadStopsTheStart() throws Exception {
        TestData delta = new TestData(tmp.resolve("delta"), "mail.delta.test", "delta.test", "127.0.3.6");
        Path secret = delta.dir.resolve("smarthost.secret");
        Files.writeString(secret, "open-secret\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        delta.config(c -> TestData.withOutbound(c, outbound(dns.resolver(), 25, "127.0.3.3:587", "someone", "smarthost.secret")));

        assertThatThrownBy(() -> Engine.start(delta.dir).close())
                .hasMessageContaining("smarthost_password_file")
                .hasMessageContaining("chmod 600")
                .hasMessageNotContaining("open-secret");
    }

    @Test
    void unreachableDomainIsRetriedOnScheduleThenExpiresIntoABounce() throws Exception {
        submit(alpha, "127.0.3.1", "ann", "ann-password-1", "ann@alpha.test", "to-the-void", "nobody@dead.test");

        String bounce = new String(awaitMessage(() -> alpha.delivered("ann"), "nobody@dead.test"), StandardCharsets.UTF_8);
        assertThat(bounce).contains("MAILER-DAEMON@mx.alpha.test").contains("4.4.7").contains("Subject: to-the-void");
        List<MaillogEntry> tries = deliveries(alpha, "nobody@dead.test");
        // tried at once, then after 1 s, 2 s, 2 s…: several TempFail lines, then the expiry.
        assertThat(tries.stream().filter(e -> "TempFail".equals(e.fields().get("result"))).count()).isGreaterThanOrEqualTo(2);
        assertThat(tries).allSatisfy(e -> assertThat(e.fields()).containsEntry("relay", "mx.dead.test[127.0.3.9]"));
        assertThat(events(alpha, "queue", "bounce")).anySatisfy(e -> assertThat(e.fields().get("reason")).contains("expired"));
    }
}
