package org.mailwright.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.testing.TestData;

/** The SMTP edge cases, byte for byte on a raw socket (RFC 5321, RFC 3207, RFC 2920). */
class ProtocolTest {
    static final String PASSWORD = "correct horse battery";
    static final int MAX_RCPT = 3;
    static final int PER_IP = 4;

    @TempDir static Path dir;
    static TestData data;
    static Engine engine;

    @BeforeAll
    static void start() throws Exception {
        data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("alice", PASSWORD).user("bob", PASSWORD)
                .config(c -> TestData.withDelivery(c, new Config.Delivery(Config.DeliveryFormat.MAILDIR, 50_000)))
                .config(c -> TestData.withLimits(c, TestData.limits(100, PER_IP, Duration.ofMinutes(1), 3, 10, Duration.ofMinutes(5)).withMaxRecipients(MAX_RCPT)));
        engine = Engine.start(data.dir);
    }

    @AfterAll
    static void stop() throws IOException {
        if (engine != null) engine.close();
    }

    static String token() {
        return "T" + UUID.randomUUID().toString().replace("-", "");
    }

    static List<String> queued() throws IOException {
        try (var s = Files.list(data.dir.resolve("queue").resolve("messages"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void ehloOffersStarttlsBeforeTlsAndAuthOnlyAfter() throws Exception {
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            assertThat(c.greeting).startsWith("220 mx.example.org");
            String before = c.ehlo();
            assertThat(before).contains("250-PIPELINING", "250-SIZE 50000", "250-8BITMIME", "ENHANCEDSTATUSCODES", "STARTTLS");
            assertThat(before).doesNotContain("AUTH");
            assertThat(c.cmd("AUTH PLAIN AGFsaWNlAHg=")).startsWith("538 5.7.11");
            assertThat(c.startTls()).startsWith("220");
            String after = c.ehlo();
            assertThat(after).contains("PIPELINING", "SIZE 50000", "8BITMIME", "ENHANCEDSTATUSCODES", "AUTH PLAIN LOGIN");
            assertThat(after).doesNotContain("STARTTLS");
            assertThat(c.cmd("STARTTLS")).startsWith("503");
            assertThat(c.authPlain("alice", PASSWORD)).startsWith("235 2.7.0");
        }
    }

    @Test
    void submissionPortWantsTlsThenAuth() throws Exception {
        try (SmtpClient c = SmtpClient.connect(data.submission)) {
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<alice@example.org>")).startsWith("530 5.7.0");
            c.startTls();
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<alice@example.org>")).startsWith("530 5.7.0");
            assertThat(c.authPlain("alice", PASSWORD)).startsWith("235");
            assertThat(c.cmd("MAIL FROM:<alice@example.org>")).startsWith("250");
        }
    }

    @Test
    void pipelinedCommandsInOneWriteWork() throws Exception {
        String t = token();
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.send("EHLO client.test\r\nMAIL FROM:<x@elsewhere.test>\r\nRCPT TO:<bob@example.org>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n");
            assertThat(c.reply()).startsWith("250-");
            assertThat(c.reply()).startsWith("250 2.1.0");
            assertThat(c.reply()).startsWith("250 2.1.5");
            assertThat(c.reply()).startsWith("250 2.1.5");
            assertThat(c.reply()).startsWith("354");
            c.send("Subject: " + t + "\r\n\r\npipelined\r\n.\r\nQUIT\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0");
            assertThat(c.reply()).startsWith("221");
        }
        Mailboxes.awaitOne(data, "bob", t);
        Mailboxes.awaitOne(data, "alice", t);
    }

    @Test
    void bareLfInDataIsRefusedAndNothingIsQueued() throws Exception {
        String t = token();
        List<String> before = queued();
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<x@elsewhere.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<bob@example.org>")).startsWith("250");
            assertThat(c.cmd("DATA")).startsWith("354");
            // the smuggling pattern: <LF>.<LF> must not end the message, and a second one must not start
            c.send("Subject: " + t + "\r\n\r\nfirst\n.\nMAIL FROM:<x@elsewhere.test>\r\n.\r\n");
            assertThat(c.reply()).startsWith("521 5.5.2");
            assertThat(c.reply()).isNull(); // closed
        }
        Thread.sleep(300);
        assertThat(Mailboxes.containing(data, "bob", t)).isEmpty();
        assertThat(queued()).isSubsetOf(before);
        try (var s = Files.list(data.dir.resolve("queue").resolve("incoming"))) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void bareCrInDataIsRefused() throws Exception {
        String t = token();
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            c.cmd("MAIL FROM:<x@elsewhere.test>");
            c.cmd("RCPT TO:<bob@example.org>");
            assertThat(c.cmd("DATA")).startsWith("354");
            c.send("Subject: " + t + "\r\n\r\nfirst\r.\rsecond\r\n.\r\n");
            assertThat(c.reply()).startsWith("521 5.5.2");
        }
        Thread.sleep(300);
        assertThat(Mailboxes.containing(data, "bob", t)).isEmpty();
    }

    @Test
    void bareLfInACommandIsRefused() throws Exception {
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            // a bare LF does not end the line; the CRLF after it does, and the whole line is refused
            c.send("MAIL FROM:<x@elsewhere.test>\nRCPT TO:<bob@example.org>\r\n");
            assertThat(c.reply()).startsWith("501");
            String next = c.cmd("RCPT TO:<bob@example.org>");
            assertThat(next == null || next.startsWith("503")).as(String.valueOf(next)).isTrue();
        }
    }

    @Test
    void dotStuffedLinesRoundTrip() throws Exception {
        String t = token();
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            String body = "Subject: " + t + "\n\n.leading dot\n..two dots\n.\n.. \nlast";
            assertThat(c.send("x@elsewhere.test", List.of("bob@example.org"), body)).startsWith("250 2.0.0");
        }
        String m = Mailboxes.awaitOne(data, "bob", t);
        assertThat(m).endsWith("\n\n.leading dot\n..two dots\n.\n.. \nlast\n");
    }

    @Test
    void tooManyRecipientsIs452() throws Exception {
        String t = token();
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            c.cmd("MAIL FROM:<x@elsewhere.test>");
            for (int i = 0; i < MAX_RCPT; i++) assertThat(c.cmd("RCPT TO:<bob+" + i + "@example.org>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<alice@example.org>")).startsWith("452 4.5.3");
            assertThat(c.cmd("DATA")).startsWith("354");
            c.send("Subject: " + t + "\r\n\r\nbody\r\n.\r\n");
            assertThat(c.reply()).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Mailboxes.containing(data, "bob", t).size() == MAX_RCPT);
        assertThat(Mailboxes.containing(data, "alice", t)).isEmpty();
    }

    @Test
    void sizeOnMailAndTooMuchDataAre552AndTheTransactionIsReset() throws Exception {
        String t = token();
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<x@elsewhere.test> SIZE=50001")).startsWith("552 5.3.4");
            assertThat(c.cmd("MAIL FROM:<x@elsewhere.test> SIZE=49000")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<bob@example.org>")).startsWith("250");
            assertThat(c.cmd("DATA")).startsWith("354");
            String line = "y".repeat(998) + "\r\n";
            c.send("Subject: big " + t + "\r\n\r\n" + line.repeat(60) + ".\r\n");
            assertThat(c.reply()).startsWith("552 5.3.4");
            // the transaction is over: a new MAIL works without RSET
            assertThat(c.send("x@elsewhere.test", List.of("bob@example.org"), "Subject: small " + t + "\n\nok")).startsWith("250 2.0.0");
        }
        Mailboxes.awaitOne(data, "bob", "small " + t);
        assertThat(Mailboxes.containing(data, "bob", "big " + t)).isEmpty();
    }

    @Test
    void overlongCommandLineIsRefused() throws Exception {
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            String r = c.cmd("MAIL FROM:<" + "a".repeat(1000) + "@elsewhere.test>");
            assertThat(r).startsWith("501");
            assertThat(c.reply()).isNull(); // an abusive client is disconnected
        }
    }

    @Test
    void tooManyConnectionsFromOneAddressAre421() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (SmtpClient probe = SmtpClient.connect(data.smtp)) {
                return probe.greeting.startsWith("220");
            }
        });
        List<SmtpClient> open = new ArrayList<>();
        try {
            String refused = null;
            for (int i = 0; i < PER_IP + 2 && refused == null; i++) {
                SmtpClient c = SmtpClient.connect(data.smtp);
                open.add(c);
                if (c.greeting.startsWith("421")) refused = c.greeting;
            }
            assertThat(refused).startsWith("421 4.7.0");
            assertThat(open.size()).isLessThanOrEqualTo(PER_IP + 1);
            // the others are still served
            assertThat(open.get(0).ehlo()).startsWith("250");
        } finally {
            for (SmtpClient c : open) c.close();
        }
        assertThat(data.maillog()).contains("too many connections from this address");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (SmtpClient again = SmtpClient.connect(data.smtp)) {
                return again.greeting.startsWith("220");
            }
        });
    }

    @Test
    void aRecipientNamedTwiceGetsOneCopy() throws Exception {
        String t = token();
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            assertThat(c.send("x@elsewhere.test", List.of("bob@example.org", "BOB@EXAMPLE.ORG", "bob@example.org"), "Subject: " + t + "\n\nonce"))
                    .startsWith("250 2.0.0");
        }
        Mailboxes.awaitOne(data, "bob", t);
        Thread.sleep(500);
        assertThat(Mailboxes.containing(data, "bob", t)).hasSize(1);
    }

    /** RFC 3207 §4.2 / CVE-2011-0411: commands sent in clear together with STARTTLS must be discarded. */
    @Test
    void plaintextPipelinedAfterStarttlsIsDiscarded() throws Exception {
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            c.send("STARTTLS\r\nRSET\r\n");
            assertThat(c.reply()).startsWith("220");
            c.upgrade();
            // the first reply inside TLS must be the answer to NOOP, not to the injected RSET
            assertThat(c.cmd("NOOP")).isEqualTo("250 2.0.0 Ok");
            String ehlo = c.ehlo();
            assertThat(ehlo).startsWith("250-mx.example.org");
            c.send("QUIT\r\n");
            assertThat(c.reply()).startsWith("221");
        }
        // and the injected command was not answered in clear either before the handshake
    }

    @Test
    void starttlsInjectionDistinguishesReplies() throws Exception {
        // Same as above but with a command whose reply differs from NOOP's, so a leaked answer is visible.
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            c.send("STARTTLS\r\nMAIL FROM:<x@elsewhere.test>\r\n");
            assertThat(c.reply()).startsWith("220");
            c.upgrade();
            assertThat(c.cmd("HELP")).startsWith("214");
            assertThat(c.cmd("EHLO client.test")).startsWith("250-");
            assertThat(c.cmd("RCPT TO:<bob@example.org>")).startsWith("503"); // no MAIL survived the upgrade
        }
    }
}
