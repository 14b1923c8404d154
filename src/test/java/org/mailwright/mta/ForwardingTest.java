package org.mailwright.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailwright.mta.MtaTestSupport.awaitMessage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dkim.PythonDkimVerifier;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.InProcessCli;
import org.mailwright.testing.PythonDkimSigner;
import org.mailwright.testing.TestData;
import org.mailwright.testing.TestDns;

/**
 * Aliases on a running engine with Postfix as the next hop: a forward leaves with an SRS envelope sender (Postfix's
 * Return-Path shows it) and its DKIM signature intact, a bounce to that address goes back to the original sender,
 * a fan-out reaches a local user and an outside one, a catch-all, a loop, and an alias added while the engine runs.
 */
class ForwardingTest {
    static final String CLIENT = "127.0.21.110";

    @TempDir static Path dir;
    static TestDns dns;
    static PostfixPeer postfix;
    static TestData ours;
    static Engine engine;
    static Path key;
    static String keyRecord;

    @BeforeAll
    static void start() throws Exception {
        PythonDkimVerifier.assertInstalled();
        MtaTestSupport.openForPostfix(dir);
        key = PythonDkimSigner.rsaKey(dir.resolve("sender.pem"), 2048);
        keyRecord = DkimKeys.dnsTxtValue(DkimKeys.load(key));
        dns = TestDns.start(dir.resolve("dns"), "127.0.21.101", TestDns.zone().local("test")
                .mx("remote.test", "mx.remote.test", 10).host("mx.remote.test", "127.0.21.102")
                .longTxt("sel._domainkey.remote.test", keyRecord));
        int port = TestData.freePort();
        postfix = new PostfixPeer(dir.resolve("postfix"), "127.0.21.102", port, "mx.remote.test", List.of("remote.test"),
                Map.of("carol@remote.test", "carol", "orig@remote.test", "orig"));
        postfix.start();
        ours = new TestData(dir.resolve("data"), "mail.example.org", "example.org").user("alice", "password-alice")
                .config(c -> c.withDomains(List.of("example.org", "example.net")))
                .config(c -> TestData.withOutbound(c, new Config.Outbound(dns.resolver(), port, Config.OutboundTls.OPPORTUNISTIC, "", "", "")));
        Files.writeString(ours.dir.resolve("aliases"), """
                fwd: carol@remote.test
                team: alice, carol@remote.test
                @example.net: alice
                a: b
                b: a
                ghost: nobody
                """);
        engine = Engine.start(ours.dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) engine.close();
        if (postfix != null) postfix.close();
        if (dns != null) dns.close();
    }

    static String token() {
        return "T" + UUID.randomUUID().toString().replace("-", "");
    }

    static String message(String to, String token) {
        return "From: Orig <orig@remote.test>\r\nTo: " + to + "\r\nSubject: " + token + "\r\nDate: Thu, 03 Dec 2026 06:00:00 +0000\r\n"
                + "Message-ID: <" + token + "@remote.test>\r\n\r\nForward me, " + token + ".\r\n";
    }

    static String rcpt(String from, String to) throws Exception {
        try (SmtpClient c = SmtpClient.connectFrom(CLIENT, ours.smtp)) {
            c.cmd("EHLO client.remote.test");
            c.cmd("MAIL FROM:<" + from + ">");
            return c.cmd("RCPT TO:<" + to + ">");
        }
    }

    static String send(String from, String to, String message) throws Exception {
        try (SmtpClient c = SmtpClient.connectFrom(CLIENT, ours.smtp)) {
            c.cmd("EHLO client.remote.test");
            return c.send(from, List.of(to), message);
        }
    }

    @Test
    void aForwardLeavesWithAnSrsSenderAndItsSignatureIntactAndItsBounceComesBack() throws Exception {
        String t = token();
        String signed = new PythonDkimSigner(dir.resolve("sign")).sign(message("fwd@example.org", t), key, "sel", "remote.test");
        assertThat(send("orig@remote.test", "fwd@example.org", signed)).startsWith("250");
        String copy = new String(awaitMessage(() -> postfix.delivered("carol"), t), StandardCharsets.UTF_8);
        String returnPath = copy.lines().filter(l -> l.startsWith("Return-Path:")).findFirst().orElseThrow();
        assertThat(returnPath).matches("Return-Path: <SRS0=[A-Za-z0-9+/]{4}=[A-Z2-7]{2}=remote\\.test=orig@example\\.org>");
        PythonDkimVerifier.Result dkim = new PythonDkimVerifier(dir).verify(copy.replace("\r\n", "\n").replace("\n", "\r\n")
                .getBytes(StandardCharsets.UTF_8), Map.of("sel._domainkey.remote.test", keyRecord));
        assertThat(dkim.verdicts()).as(dkim.log()).containsExactly(true);

        // The next hop bounces to the SRS address: it goes back to orig@remote.test.
        String srs = returnPath.substring(returnPath.indexOf('<') + 1, returnPath.indexOf('>'));
        String bounce = "From: MAILER-DAEMON@mx.remote.test\r\nTo: " + srs + "\r\nSubject: Undelivered " + t + "\r\n\r\nbounced\r\n";
        assertThat(send("", srs, bounce)).startsWith("250");
        awaitMessage(() -> postfix.delivered("orig"), "Undelivered " + t);
        String forged = srs.replaceFirst("SRS0=[^=]+=", "SRS0=AAAA=");
        assertThat(rcpt("", forged)).startsWith("550 5.7.1").contains("not made here");
    }

    @Test
    void aFanOutReachesTheLocalUserAndTheOutsideAddress() throws Exception {
        String t = token();
        assertThat(send("orig@remote.test", "team@example.org", message("team@example.org", t))).startsWith("250");
        awaitMessage(() -> postfix.delivered("carol"), t);
        awaitMessage(() -> ours.delivered("alice"), t);
    }

    @Test
    void theCatchAllTakesEveryAddressOfItsDomain() throws Exception {
        String t = token();
        assertThat(send("orig@remote.test", "whoever-" + t + "@example.net", message("x@example.net", t))).startsWith("250");
        awaitMessage(() -> ours.delivered("alice"), t);
        assertThat(rcpt("orig@remote.test", "whoever@example.org")).startsWith("550 5.1.1");
    }

    @Test
    void aLoopAndAnAliasOfNobodyAreRefusedAtRcpt() throws Exception {
        assertThat(rcpt("orig@remote.test", "a@example.org")).startsWith("550 5.4.6").contains("loops");
        assertThat(Files.readString(ours.dir.resolve("log/maillog"))).contains("smtp alias-loop to=<a@example.org>");
        assertThat(rcpt("orig@remote.test", "ghost@example.org")).startsWith("550 5.1.1");
    }

    @Test
    void anAliasAddedWhileTheEngineRunsHoldsAtTheNextRcpt() throws Exception {
        assertThat(rcpt("orig@remote.test", "sales@example.org")).startsWith("550 5.1.1");
        InProcessCli.Run add = InProcessCli.inData(ours.dir, "alias", "add", "sales", "alice");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(rcpt("orig@remote.test", "sales@example.org")).startsWith("250");
        String t = token();
        assertThat(send("orig@remote.test", "sales@example.org", message("sales@example.org", t))).startsWith("250");
        awaitMessage(() -> ours.delivered("alice"), t);
    }
}
