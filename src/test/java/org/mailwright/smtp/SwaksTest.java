package org.mailwright.smtp;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/** swaks, a real SMTP client, against a running engine: what the recipe promises its users and other servers. */
class SwaksTest {
    static final String PASSWORD = "correct horse battery";
    static final long MAX_SIZE = 20_000;

    @TempDir static Path dir;
    static TestData data;
    static Engine engine;

    @BeforeAll
    static void start() throws Exception {
        Peers.require("swaks", "swaks");
        data = new TestData(dir.resolve("data"), "mx.example.org", "example.org")
                .user("alice", PASSWORD).user("bob", PASSWORD).user("carol", PASSWORD)
                .config(c -> TestData.withDelivery(c, new Config.Delivery(Config.DeliveryFormat.MAILDIR, MAX_SIZE)))
                .config(c -> TestData.withLimits(c, c.limits().withMaxRecipients(5)))
                .config(c -> c.withSubmission(new Config.Submission(true, List.of("carol"))));
        engine = Engine.start(data.dir);
    }

    @AfterAll
    static void stop() throws IOException {
        if (engine != null) engine.close();
    }

    static String token() {
        return "T" + UUID.randomUUID().toString().replace("-", "");
    }

    static List<String> server(int port) {
        return List.of("--server", "127.0.0.1:" + port, "--helo", "client.test", "--timeout", "20");
    }

    static Peers.Result swaks(int port, String... args) throws Exception {
        List<String> all = new ArrayList<>(server(port));
        all.addAll(List.of(args));
        return Peers.swaks(all.toArray(String[]::new));
    }

    static Peers.Result submit(String user, String from, String to, String subject, String... more) throws Exception {
        List<String> a = new ArrayList<>(List.of("--tls", "--auth", "PLAIN", "--auth-user", user, "--auth-password", PASSWORD,
                "--from", from, "--to", to, "--header", "Subject: " + subject));
        a.addAll(List.of(more));
        return swaks(data.submission, a.toArray(String[]::new));
    }

    @Test
    void plainTextSubmissionIsRefusedBeforeStarttls() throws Exception {
        Peers.Result r = swaks(data.submission, "--from", "alice@example.org", "--to", "bob@example.org");
        assertThat(r.out()).contains("530 5.7.0");
        assertThat(r.exit()).isNotZero();
    }

    @Test
    void starttlsAndAuthDeliverToTheRightMaildir() throws Exception {
        String t = token();
        Peers.Result r = submit("alice", "alice@example.org", "bob@example.org", t, "--body", "hello bob " + t);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("250 2.0.0 Ok: queued as");
        String m = Mailboxes.awaitOne(data, "bob", t);
        assertThat(m).startsWith("Return-Path: <alice@example.org>\nDelivered-To: bob@example.org\n");
        assertThat(m).contains("Subject: " + t).contains("hello bob " + t);
        assertThat(m).containsPattern("Received: from client\\.test \\(\\[127\\.0\\.0\\.1]\\)\n\tby mx\\.example\\.org \\(Mailwright\\) with ESMTPSA");
        assertThat(m).containsPattern("\\(using TLSv1\\.[23] with cipher TLS_");
        assertThat(m).contains("(Authenticated sender: alice)");
        assertThat(m).doesNotContain("\r\n"); // Maildir files are Unix text
        assertThat(Mailboxes.containing(data, "alice", t)).isEmpty();
        assertThat(data.maillog()).containsPattern("smtp authentication user=alice result=ok");

        // the maillog tells the story of this message: accepted, then delivered
        java.util.regex.Matcher q = java.util.regex.Pattern.compile("queued as ([0-9a-f]+)").matcher(r.out());
        assertThat(q.find()).isTrue();
        String msgid = q.group(1);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> data.maillog().contains(msgid));
        List<org.mailwright.log.MaillogEntry> log = data.maillog().lines().map(org.mailwright.log.MaillogEntry::parse)
                .flatMap(java.util.Optional::stream).toList();
        org.mailwright.log.MaillogEntry accepted = log.stream().filter(e -> e.event().equals("message")
                && e.field("msgid").equals(java.util.Optional.of(msgid))).findFirst().orElseThrow();
        assertThat(accepted.field("from")).contains("<alice@example.org>");
        assertThat(accepted.field("nrcpt")).contains("1");
        assertThat(Long.parseLong(accepted.field("size").orElseThrow())).isPositive();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> data.maillog().lines()
                .anyMatch(l -> l.contains(" mda delivery ") && l.contains(msgid)));
        org.mailwright.log.MaillogEntry delivered = data.maillog().lines().map(org.mailwright.log.MaillogEntry::parse)
                .flatMap(java.util.Optional::stream).filter(e -> e.event().equals("delivery") && e.id().startsWith(msgid)).findFirst().orElseThrow();
        assertThat(delivered.field("result")).contains("Ok");
        assertThat(delivered.field("to")).contains("<bob@example.org>");
        assertThat(delivered.field("stat")).isPresent();
        List<String> sessionEvents = log.stream().filter(e -> e.id().equals(accepted.id())).map(org.mailwright.log.MaillogEntry::event).toList();
        assertThat(sessionEvents).contains("connected", "tls", "authentication", "message");
    }

    @Test
    void implicitTlsOn465() throws Exception {
        String t = token();
        Peers.Result r = swaks(data.smtps, "--tlsc", "--auth", "LOGIN", "--auth-user", "alice", "--auth-password", PASSWORD,
                "--from", "alice@example.org", "--to", "bob@example.org", "--header", "Subject: " + t);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(Mailboxes.awaitOne(data, "bob", t)).contains("(Authenticated sender: alice)").containsPattern("using TLSv1\\.[23]");
    }

    @Test
    void wrongPasswordIs535AndTheLogHasNoPassword() throws Exception {
        String secret = "Wr0ngSecret" + token();
        Peers.Result r = swaks(data.submission, "--tls", "--auth", "PLAIN", "--auth-user", "bob", "--auth-password", secret,
                "--from", "bob@example.org", "--to", "alice@example.org");
        assertThat(r.out()).contains("535 5.7.8");
        assertThat(r.exit()).isNotZero();
        String log = data.maillog();
        assertThat(log).containsPattern("smtp authentication user=bob result=fail");
        assertThat(log).doesNotContain(secret).doesNotContain(java.util.Base64.getEncoder().encodeToString(("\0bob\0" + secret).getBytes()));
    }

    @Test
    void openRelayIsRefused() throws Exception {
        Peers.Result r = swaks(data.smtp, "--from", "spammer@elsewhere.test", "--to", "victim@far-away.test");
        assertThat(r.out()).contains("550 5.7.1");
        assertThat(r.exit()).isNotZero();
        // with STARTTLS but no AUTH still no relay
        r = swaks(data.smtp, "--tls", "--from", "spammer@elsewhere.test", "--to", "victim@far-away.test");
        assertThat(r.out()).contains("550 5.7.1");
    }

    @Test
    void unknownLocalUserIs550_511() throws Exception {
        Peers.Result r = swaks(data.smtp, "--from", "someone@elsewhere.test", "--to", "nobody@example.org");
        assertThat(r.out()).contains("550 5.1.1");
        assertThat(r.exit()).isNotZero();
    }

    @Test
    void inboundFromOtherServersOnPort25IsDelivered() throws Exception {
        String t = token();
        Peers.Result r = swaks(data.smtp, "--tls", "--from", "friend@elsewhere.test", "--to", "bob@example.org", "--header", "Subject: " + t);
        assertThat(r.exit()).as(r.out()).isZero();
        String m = Mailboxes.awaitOne(data, "bob", t);
        assertThat(m).contains("with ESMTPS ").doesNotContain("Authenticated sender");
    }

    @Test
    void forgedSenderAfterAuthIs553UnlessTheUserMaySendAsAnyone() throws Exception {
        Peers.Result r = submit("alice", "bob@example.org", "bob@example.org", token());
        assertThat(r.out()).contains("553 5.7.1");
        assertThat(r.exit()).isNotZero();
        r = submit("alice", "alice@elsewhere.test", "bob@example.org", token());
        assertThat(r.out()).contains("553 5.7.1");

        String t = token();
        r = submit("carol", "newsletter@elsewhere.test", "bob@example.org", t);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(Mailboxes.awaitOne(data, "bob", t)).startsWith("Return-Path: <newsletter@elsewhere.test>");
    }

    @Test
    void ownAddressWithTagIsAllowedAfterAuth() throws Exception {
        String t = token();
        Peers.Result r = submit("alice", "alice+lists@example.org", "bob@example.org", t);
        assertThat(r.exit()).as(r.out()).isZero();
        Mailboxes.awaitOne(data, "bob", t);
    }

    @Test
    void tooLargeDataIs552() throws Exception {
        String t = token();
        Peers.Result r = submit("alice", "alice@example.org", "bob@example.org", t, "--body", "x".repeat((int) MAX_SIZE + 100));
        assertThat(r.out()).contains("552 5.3.4");
        assertThat(r.exit()).isNotZero();
        Thread.sleep(300);
        assertThat(Mailboxes.containing(data, "bob", t)).isEmpty();
    }

    @Test
    void postmasterAndAbuseGoToTheFirstUser() throws Exception {
        String t = token();
        assertThat(swaks(data.smtp, "--from", "a@elsewhere.test", "--to", "postmaster@example.org", "--header", "Subject: pm " + t).exit()).isZero();
        assertThat(swaks(data.smtp, "--from", "a@elsewhere.test", "--to", "abuse@example.org", "--header", "Subject: ab " + t).exit()).isZero();
        assertThat(swaks(data.smtp, "--from", "a@elsewhere.test", "--to", "POSTMASTER@MX.EXAMPLE.ORG", "--header", "Subject: ph " + t).exit()).isZero();
        Mailboxes.awaitOne(data, "alice", "pm " + t);
        Mailboxes.awaitOne(data, "alice", "ab " + t);
        Mailboxes.awaitOne(data, "alice", "ph " + t);
    }

    @Test
    void plusTagDeliversToTheUser() throws Exception {
        String t = token();
        Peers.Result r = swaks(data.smtp, "--from", "a@elsewhere.test", "--to", "bob+shopping@example.org", "--header", "Subject: " + t);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(Mailboxes.awaitOne(data, "bob", t)).contains("Delivered-To: bob+shopping@example.org");
    }

    @Test
    void messageIdAndDateAreAddedOnSubmissionOnly() throws Exception {
        Path file = dir.resolve("bare-" + UUID.randomUUID() + ".eml");
        String t1 = token();
        Files.writeString(file, "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: " + t1 + "\r\n\r\nno id here\r\n");
        Peers.Result r = submit("alice", "alice@example.org", "bob@example.org", t1, "--data", "@" + file);
        assertThat(r.exit()).as(r.out()).isZero();
        String m = Mailboxes.awaitOne(data, "bob", t1);
        assertThat(m).containsPattern("(?m)^Message-ID: <[^>]+@mx\\.example\\.org>$");
        assertThat(m).containsPattern("(?m)^Date: \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000$");
        String header = m.substring(0, m.indexOf("\n\n"));
        assertThat(header.lines().filter(l -> l.startsWith("Message-ID:"))).hasSize(1);

        String t2 = token();
        Files.writeString(file, "From: friend@elsewhere.test\r\nTo: bob@example.org\r\nSubject: " + t2 + "\r\n\r\nno id here\r\n");
        r = swaks(data.smtp, "--from", "friend@elsewhere.test", "--to", "bob@example.org", "--data", "@" + file);
        assertThat(r.exit()).as(r.out()).isZero();
        m = Mailboxes.awaitOne(data, "bob", t2);
        assertThat(m).doesNotContainPattern("(?mi)^Message-ID:").doesNotContainPattern("(?mi)^Date:");

        // a Message-ID the client set is kept, not doubled
        String t3 = token();
        Files.writeString(file, "Message-ID: <" + t3 + "@client.test>\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nSubject: " + t3 + "\r\n\r\nbody\r\n");
        r = submit("alice", "alice@example.org", "bob@example.org", t3, "--data", "@" + file);
        assertThat(r.exit()).as(r.out()).isZero();
        m = Mailboxes.awaitOne(data, "bob", t3);
        assertThat(m.lines().filter(l -> l.regionMatches(true, 0, "Message-ID:", 0, 11))).containsExactly("Message-ID: <" + t3 + "@client.test>");
        assertThat(m.lines().filter(l -> l.startsWith("Date:"))).hasSize(1);
    }

    /** A second engine: its own failure counters and an admin named in the config. */
    @Test
    void repeatedFailuresAreSlowedThenLockedOut(@TempDir Path other) throws Exception {
        TestData d2 = new TestData(other.resolve("data"), "mx.example.net", "example.net").user("dave", PASSWORD).user("erin", PASSWORD)
                .config(c -> TestData.withLimits(c, TestData.limits(50, 20, Duration.ofMinutes(1), 1, 3, Duration.ofMinutes(10))))
                .config(c -> c.withAdmin("erin"));
        try (Engine e2 = Engine.start(d2.dir)) {
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                Peers.Result r = Peers.swaks("--server", "127.0.0.1:" + d2.submission, "--tls", "--auth", "PLAIN", "--auth-user", "dave",
                        "--auth-password", "not-the-password", "--from", "dave@example.net", "--to", "erin@example.net");
                millis.add((System.nanoTime() - start) / 1_000_000);
                assertThat(r.out()).contains("535 5.7.8");
            }
            // failure 1 is answered at once; 2 and 3 wait 1 s and 2 s
            assertThat(millis.get(1)).isGreaterThanOrEqualTo(1000);
            assertThat(millis.get(2)).isGreaterThanOrEqualTo(2000);
            Peers.Result locked = Peers.swaks("--server", "127.0.0.1:" + d2.submission, "--tls", "--auth", "PLAIN", "--auth-user", "dave",
                    "--auth-password", PASSWORD, "--from", "dave@example.net", "--to", "erin@example.net");
            assertThat(locked.out()).contains("454 4.7.0");
            assertThat(d2.maillog()).contains("result=locked-out").doesNotContain(PASSWORD).doesNotContain("not-the-password");

            // postmaster goes to the configured admin, not the first user
            String t = token();
            assertThat(Peers.swaks("--server", "127.0.0.1:" + d2.smtp, "--from", "x@elsewhere.test", "--to", "postmaster@example.net",
                    "--header", "Subject: " + t).exit()).isZero();
            Mailboxes.awaitOne(d2, "erin", t);
            assertThat(Mailboxes.containing(d2, "dave", t)).isEmpty();
        }
    }
}
