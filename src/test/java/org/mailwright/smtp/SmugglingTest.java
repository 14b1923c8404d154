package org.mailwright.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.testing.TestData;

/**
 * An attacker's view of DATA and of the paths, on a raw socket: whatever the bytes, only CRLF.CRLF ends the
 * data, nothing sent after DATA is run as a command, and no control character gets into a session, a
 * Received: line or the maillog. The end-of-data variants are those of the published SMTP smuggling
 * scanners (SEC Consult, Hanno Böck's smtp-smuggling-scanner).
 */
class SmugglingTest {
    static final String PASSWORD = "correct horse battery";
    static final String FORGED = "forged@evil.test";

    @TempDir static Path dir;
    static TestData data;
    static Engine engine;

    @BeforeAll
    static void start() throws Exception {
        data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("alice", PASSWORD).user("bob", PASSWORD)
                .config(c -> TestData.withDelivery(c, new Config.Delivery(Config.DeliveryFormat.MAILDIR, 8L << 20)));
        engine = Engine.start(data.dir);
    }

    @AfterAll
    static void stop() throws IOException {
        if (engine != null) engine.close();
    }

    /** The commands a smuggler hides after a fake end of data: a second message from a forged sender. */
    static String smuggled(String token) {
        return "MAIL FROM:<" + FORGED + ">\r\nRCPT TO:<bob@example.org>\r\nDATA\r\nSubject: smuggled\r\n\r\n" + token + "\r\n";
    }

    /** No envelope and no delivered message ever names the forged sender. */
    static void nothingFrom(String forged) throws IOException {
        assertThat(data.maillog()).doesNotContain("from=<" + forged + ">");
        for (Path p : data.delivered("bob")) assertThat(Files.readString(p)).doesNotContain("Return-Path: <" + forged + ">");
    }

    static List<String> queued() throws IOException {
        try (Stream<Path> s = Files.list(data.dir.resolve("queue").resolve("messages"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void aLineLongerThanTheReadBufferIsNeverALineEnd() throws Exception {
        for (int port : new int[] {data.smtp, data.submission}) {
            String token = ProtocolTest.token();
            int before = data.delivered("bob").size();
            try (SmtpClient c = SmtpClient.connect(port)) {
                c.ehlo();
                if (port == data.submission) {
                    c.startTls();
                    c.ehlo();
                    assertThat(c.authPlain("alice", PASSWORD)).startsWith("235");
                }
                assertThat(c.cmd("MAIL FROM:<alice@example.org>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<bob@example.org>")).startsWith("250");
                assertThat(c.cmd("DATA")).startsWith("354");
                // 2 MiB + 1 byte, then what a reader that cuts long lines takes for "." CRLF, then a second message
                c.send("Subject: long\r\n\r\n" + "x".repeat(2 * 1024 * 1024 + 1) + ".\r\n" + smuggled(token) + ".\r\n");
                assertThat(c.reply()).startsWith("554 5.6.0");
                assertThat(c.cmd("NOOP")).startsWith("250"); // the session is in step: one reply per command
            }
            Thread.sleep(300);
            assertThat(data.delivered("bob")).hasSize(before);
            assertThat(Mailboxes.containing(data, "bob", token)).isEmpty();
            nothingFrom(FORGED);
        }
    }

    @Test
    void anOverLongCommandLineClosesTheSessionAndNothingAfterItRuns() throws Exception {
        String token = ProtocolTest.token();
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<alice@example.org>")).startsWith("250");
            c.send("RCPT TO:<bob@example.org> " + "p".repeat(4000) + "\r\n" + smuggled(token) + ".\r\n");
            String reply;
            try {
                reply = c.reply() + " / " + c.reply();
            } catch (java.net.SocketException e) {
                reply = "reset"; // closed with our bytes unread: the kernel may reset before we read the 501
            }
            assertThat(reply).matches("501 .* / null|reset");
        }
        Thread.sleep(300);
        assertThat(Mailboxes.containing(data, "bob", token)).isEmpty();
        nothingFrom(FORGED);
    }

    @Test
    void aLineOf998CharactersIsFineAnd999IsRefused() throws Exception {
        String token = ProtocolTest.token();
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            assertThat(c.send("alice@example.org", List.of("bob@example.org"),
                    "Subject: " + token + "\r\n\r\n" + "y".repeat(998) + "\r\n")).startsWith("250");
            assertThat(c.send("alice@example.org", List.of("bob@example.org"),
                    "Subject: " + token + "\r\n\r\n" + "y".repeat(999) + "\r\n")).startsWith("554 5.6.0");
            assertThat(c.cmd("RSET")).startsWith("250");
        }
        assertThat(Mailboxes.awaitOne(data, "bob", token)).contains("y".repeat(998));
    }

    /** Fake ends of data: each is refused (bare CR/LF closes the session) or stays inside the one message. */
    static Stream<Arguments> fakeEnds() {
        return Stream.of(
                Arguments.of("LF.LF", "\n.\n"),
                Arguments.of("LF.CRLF", "\n.\r\n"),
                Arguments.of("CR.CR", "\r.\r"),
                Arguments.of("CR.CRLF", "\r.\r\n"),
                Arguments.of("CRLF.LF", "\r\n.\n"),
                Arguments.of("CRLF.CR", "\r\n.\r"),
                Arguments.of("CR.LF", "\r.\n"),
                Arguments.of("CRLF NUL.CRLF", "\r\n\0.\r\n"),
                Arguments.of("CRLF.NUL CRLF", "\r\n.\0\r\n"),
                Arguments.of("CRLF SP.CRLF", "\r\n .\r\n"),
                Arguments.of("CRLF..CRLF (stuffed dot)", "\r\n..\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fakeEnds")
    void aFakeEndOfDataNeverStartsASecondMessage(String name, String fakeEnd) throws Exception {
        String token = ProtocolTest.token();
        String first = ProtocolTest.token();
        String reply;
        String after;
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<alice@example.org>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<bob@example.org>")).startsWith("250");
            assertThat(c.cmd("DATA")).startsWith("354");
            c.send("Subject: " + first + "\r\n\r\nbody" + fakeEnd + smuggled(token) + "\r\n.\r\n");
            reply = c.reply();
            after = c.cmd("NOOP");
        }
        assertThat(reply).matches("(250 2\\.0\\.0|521 5\\.5\\.2) .*");
        if (reply.startsWith("521")) {
            assertThat(after).isNull(); // closed: nothing after the refusal was read as a command
        } else {
            assertThat(after).startsWith("250");
            String m = Mailboxes.awaitOne(data, "bob", first);
            assertThat(m).contains(token); // the "commands" are text inside the one message
        }
        Thread.sleep(200);
        assertThat(Mailboxes.containing(data, "bob", token)).hasSizeLessThanOrEqualTo(reply.startsWith("250") ? 1 : 0);
        nothingFrom(FORGED);
    }

    @Test
    void controlCharactersInPathsAndHeloNamesAreRefused() throws Exception {
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            assertThat(c.cmd("EHLO bad\u0007host")).startsWith("501 5.5.4");
            assertThat(c.cmd("HELO bad\u0000host")).startsWith("501 5.5.4");
            // é in UTF-8: 8-bit names are refused by us; bytes that are not UTF-8 at all by the library
            assertThat(c.cmd("EHLO caf\u00c3\u00a9.example")).startsWith("501 5.5.4");
            c.ehlo();
            for (String ctl : List.of("\u0000", "\u001b", "\u0007", "\u000b", "\u000c", "\u007f")) {
                assertThat(c.cmd("MAIL FROM:<\"a" + ctl + "b\"@example.org>")).startsWith("553 5.1.7");
                assertThat(c.cmd("MAIL FROM:<a" + ctl + "b@example.org>")).startsWith("553 5.1.7");
            }
            assertThat(c.cmd("MAIL FROM:<alice@example.org>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<\"bob\u001b[31m\"@example.org>")).startsWith("501 5.5.4");
            assertThat(c.cmd("RCPT TO:<bob@example.org> X=\u0007")).startsWith("501 5.5.4");
            assertThat(c.cmd("RCPT TO:<bob@example.org>")).startsWith("250");
            assertThat(c.cmd("RSET")).startsWith("250");
        }
        String log = data.maillog();
        for (char ctl : new char[] {0, 0x1b, 7, 0x0b, 0x0c, 0x7f}) assertThat(log).doesNotContain(String.valueOf(ctl));
    }

    @Test
    void theHeaderFromObeysTheSenderRuleOnSubmission() throws Exception {
        String ok = ProtocolTest.token();
        String forged = ProtocolTest.token();
        String none = ProtocolTest.token();
        try (SmtpClient c = SmtpClient.connect(data.submission)) {
            c.ehlo();
            c.startTls();
            c.ehlo();
            assertThat(c.authPlain("alice", PASSWORD)).startsWith("235");
            assertThat(c.send("alice@example.org", List.of("bob@example.org"),
                    "From: Bob <bob@example.org>\r\nSubject: " + forged + "\r\n\r\nhi\r\n")).startsWith("550 5.7.1");
            assertThat(c.send("alice@example.org", List.of("bob@example.org"),
                    "From: Alice <alice@example.org>,\r\n Bob <bob@example.org>\r\nSubject: " + forged + "\r\n\r\nhi\r\n"))
                    .startsWith("550 5.7.1");
            assertThat(c.send("alice@example.org", List.of("bob@example.org"),
                    "From: alice@example.org\r\nSender: bob@example.org\r\nSubject: " + forged + "\r\n\r\nhi\r\n"))
                    .startsWith("550 5.7.1");
            assertThat(c.send("alice@example.org", List.of("bob@example.org"),
                    "From: alice@example.org\r\nFrom: bob@example.org\r\nSubject: " + forged + "\r\n\r\nhi\r\n"))
                    .startsWith("550 5.7.1");
            assertThat(c.send("alice@example.org", List.of("bob@example.org"),
                    "From: =?UTF-8?Q?Alic=C3=A9?= <alice+news@example.org>\r\nSubject: " + ok + "\r\n\r\nhi\r\n"))
                    .startsWith("250");
            assertThat(c.send("alice@example.org", List.of("bob@example.org"), "Subject: " + none + "\r\n\r\nhi\r\n"))
                    .startsWith("250");
        }
        Mailboxes.awaitOne(data, "bob", ok);
        assertThat(Mailboxes.awaitOne(data, "bob", none)).contains("From: <alice@example.org>");
        Thread.sleep(200);
        assertThat(Mailboxes.containing(data, "bob", forged)).isEmpty();
    }

    @Test
    void mailFromOtherServersKeepsItsHeaderFrom() throws Exception {
        String token = ProtocolTest.token();
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            assertThat(c.send("someone@other.test", List.of("bob@example.org"),
                    "From: someone@other.test\r\nSubject: " + token + "\r\n\r\nhi\r\n")).startsWith("250");
        }
        assertThat(Mailboxes.awaitOne(data, "bob", token)).contains("From: someone@other.test").doesNotContain("Message-ID: <");
    }
}
