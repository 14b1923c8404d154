package org.mailwright.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mailwright.mta.MtaTestSupport.awaitMessage;
import static org.mailwright.mta.MtaTestSupport.deliveries;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.dkim.PythonDkimVerifier;
import org.mailwright.log.MaillogEntry;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.Spool;
import org.mailwright.testing.TestData;
import org.mailwright.testing.TestDns;

/**
 * SMTP smuggling on the way out (RFC 5321 §4.5.2, §2.3.8): whatever the spool holds — bare CR, bare LF,
 * {@code \n.\n}, {@code \r.\r\n}, an address with CRLF in it — Mailwright never sends what the next hop reads as an
 * end of data followed by commands, or as a second command. The next hop is a real Postfix (Debian's) that reads a
 * bare LF as a line end ({@code smtpd_forbid_bare_newline = no}, as every Postfix before 3.9 did by default): the first
 * test shows it does run smuggled commands when a client sends them, so the others would see it if we did.
 * Messages are put into the spool directly, as paths other than inbound SMTP (which refuses bare LF) can.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmugglingTest {
    private static final String BIND = "127.0.11.1";
    private static final String MX = "127.0.11.2";

    /** Every shape that a lenient reader could take for the end of data, each followed by a whole second transaction. */
    private static final String SMUGGLING_BODY = "line one\n"
            + ".\nMAIL FROM:<evil@ours.test>\nRCPT TO:<victim@remote.test>\nDATA\nSubject: smuggled-lf\n\nsmuggled\n"
            + "\n.\r\nMAIL FROM:<evil@ours.test>\r\nRCPT TO:<victim@remote.test>\r\nDATA\r\nSubject: smuggled-lf-crlf\r\n\r\nx\r\n"
            + "\r.\r\nMAIL FROM:<evil@ours.test>\r\nRCPT TO:<victim@remote.test>\r\nDATA\r\nSubject: smuggled-cr\r\n\r\nx\r\n"
            + "\r.\nMAIL FROM:<evil@ours.test>\nRCPT TO:<victim@remote.test>\nDATA\nSubject: smuggled-cr-lf\n\nx\n"
            + "..leading dots stay..\r\n"
            + "and the last line has no line end\r.";

    @TempDir static Path tmp;
    static TestData ours;
    static TestDns dns;
    static PostfixPeer postfix;
    static Engine engine;
    static final Map<String, String> txt = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        PythonDkimVerifier.assertInstalled();
        MtaTestSupport.openForPostfix(tmp);
        ours = new TestData(tmp.resolve("ours"), "mail.ours.test", "ours.test", BIND);
        ours.user("sender", "sender-password-1"); // a mailbox here for the bounces
        txt.putAll(MtaTestSupport.keygen(ours, "--type", "ed25519", "--selector", "ed"));
        TestDns.Zone zone = TestDns.zone().local("test").mx("remote.test", "mx.remote.test", 10).host("mx.remote.test", MX);
        txt.forEach(zone::longTxt);
        dns = TestDns.start(tmp.resolve("dns"), BIND, zone);

        int port = TestData.freePort();
        postfix = new PostfixPeer(tmp.resolve("postfix"), MX, port, "mx.remote.test", List.of("remote.test"),
                Map.of("alice@remote.test", "alice", "anna@remote.test", "anna", "victim@remote.test", "victim",
                        "canary@remote.test", "canary"),
                List.of("smtpd_forbid_bare_newline = no"));
        postfix.start();

        ours.config(c -> TestData.withOutbound(c, new Config.Outbound(dns.resolver(), port, Config.OutboundTls.OPPORTUNISTIC, "", "", "")));
        engine = Engine.start(ours.dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) engine.close();
        if (postfix != null) postfix.close();
        if (dns != null) dns.close();
    }

    @Test
    @Order(1)
    void controlThisPostfixRunsCommandsSmuggledAfterABareLfDotBareLf() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(MX, postfix.port), 5000);
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            for (String c : List.of("EHLO client.test", "MAIL FROM:<tester@client.test>", "RCPT TO:<anna@remote.test>", "DATA")) {
                out.write((c + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                expect(in, c.equals("DATA") ? "354" : "250");
            }
            out.write(("Subject: control-carrier\r\n\r\nbody\n.\nMAIL FROM:<evil@client.test>\nRCPT TO:<canary@remote.test>\nDATA\n"
                    + "Subject: control-smuggled\n\nsmuggled\n.\nQUIT\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.readAllBytes(); // Postfix answers all of it and closes after the smuggled QUIT
        }
        awaitMessage(() -> postfix.delivered("canary"), "control-smuggled");
    }

    @Test
    @Order(2)
    void aStoredBodyWithBareCrAndLfGoesOutAsOneMessageWithTheCommandsInsideItsBody() throws Exception {
        String headers = "From: Sender <sender@ours.test>\r\nTo: <alice@remote.test>\r\nSubject: smuggling-body-test\r\n"
                + "Message-ID: <smuggling-body-test@ours.test>\r\n\r\n";
        queue("sender@ours.test", List.of("alice@remote.test"), headers + SMUGGLING_BODY);

        byte[] delivered = awaitMessage(() -> postfix.delivered("alice"), "smuggling-body-test");
        assertThat(deliveries(ours, "alice@remote.test", 1)).singleElement()
                .satisfies(e -> assertThat(e.fields()).containsEntry("result", "Ok"));
        // Postfix stores lines with LF: the body arrived whole, every line the stored message had, leading dots kept.
        String body = new String(delivered, StandardCharsets.ISO_8859_1);
        body = body.substring(body.indexOf("\n\n") + 2);
        String expected = new String(DataTransparency.normalized(SMUGGLING_BODY.getBytes(StandardCharsets.ISO_8859_1)),
                StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        assertThat(body).isEqualTo(expected);
        assertThat(body).contains("\n.\nMAIL FROM:<evil@ours.test>\nRCPT TO:<victim@remote.test>\nDATA\n")
                .contains("\n..leading dots stay..\n").endsWith("and the last line has no line end\n.\n");
        assertThat(postfix.delivered("alice")).hasSize(1);

        // The signature covers what was sent: python3-dkim verifies the copy Postfix stored.
        PythonDkimVerifier.Result verdict = new PythonDkimVerifier(tmp).verify(delivered, txt);
        assertThat(verdict.verdicts()).as("python3-dkim, log:\n%s", verdict.log()).containsExactly(true);

        assertNoSmuggledTransaction();
    }

    @Test
    @Order(3)
    void aRecipientWithCrlfInItFailsPermanentlyAndNeverBecomesACommand() throws Exception {
        String headers = "From: <sender@ours.test>\r\nTo: <anna@remote.test>\r\nSubject: smuggling-rcpt-test\r\n\r\n";
        queue("sender@ours.test", List.of("anna@remote.test", "anna@remote.test>\r\nRCPT TO:<victim@remote.test"),
                headers + "body\r\n");

        awaitMessage(() -> postfix.delivered("anna"), "smuggling-rcpt-test");
        List<MaillogEntry> refused = await().atMost(Duration.ofSeconds(30)).until(() -> MtaTestSupport.events(ours, "mta", "delivery")
                .stream().filter(e -> "PermFail".equals(e.fields().get("result"))).toList(), l -> !l.isEmpty());
        assertThat(refused).singleElement().satisfies(e -> {
            assertThat(e.fields().get("stat")).startsWith("550 5.1.3 not sent: the recipient address contains the control character \\x0d");
            assertThat(e.fields().get("to")).isEqualTo("<anna@remote.test>??RCPT TO:<victim@remote.test>");
            assertThat(e.raw()).doesNotContain("\r");
        });
        // The sender gets a report naming the refusal, with the address shown escaped.
        byte[] bounce = awaitMessage(() -> ours.delivered("sender"), "smuggling-rcpt-test");
        assertThat(new String(bounce, StandardCharsets.UTF_8)).contains("not sent: the recipient address contains the control character")
                .contains("Final-Recipient: rfc822; anna@remote.test>\\x0d\\x0aRCPT TO:<victim@remote.test");
        assertNoSmuggledTransaction();
    }

    @Test
    @Order(4)
    void aSenderWithCrlfInItFailsEveryRecipientWithoutConnecting() throws Exception {
        String headers = "From: <sender@ours.test>\r\nTo: <anna@remote.test>\r\nSubject: smuggling-sender-test\r\n\r\n";
        queue("sender@ours.test>\r\nRCPT TO:<victim@remote.test", List.of("anna@remote.test", "alice@remote.test"), headers + "body\r\n");

        List<MaillogEntry> refused = await().atMost(Duration.ofSeconds(30)).until(() -> MtaTestSupport.events(ours, "mta", "delivery")
                .stream().filter(e -> e.fields().get("stat").startsWith("550 5.1.7 not sent: the sender address contains the control character \\x0d"))
                .toList(), l -> l.size() == 2);
        // Failed before any host was tried: no relay in the log lines.
        assertThat(refused).allSatisfy(e -> assertThat(e.fields()).containsEntry("result", "PermFail").doesNotContainKey("relay"));
        assertNoSmuggledTransaction();
    }

    @Test
    @Order(5)
    void theClientRefusesToWriteACommandWithALineBreakInIt() throws Exception {
        try (SmtpConnection c = SmtpConnection.open("mx.remote.test", new InetSocketAddress(MX, postfix.port), Duration.ofSeconds(10))) {
            c.hello("mail.ours.test");
            for (String smuggling : List.of("MAIL FROM:<a@ours.test>\r\nRCPT TO:<victim@remote.test>",
                    "MAIL FROM:<a@ours.test>\nRCPT TO:<victim@remote.test>", "MAIL FROM:<a@ours.test>\rRCPT TO:<victim@remote.test>",
                    "MAIL FROM:<a\u0000@ours.test>")) {
                assertThatThrownBy(() -> c.send(smuggling)).isInstanceOf(IOException.class)
                        .hasMessageContaining("refusing to send a command with a CR, LF or NUL");
            }
            // Nothing of it went out: the session is where it was, and a clean command gets its own reply.
            assertThat(c.command("MAIL FROM:<a@ours.test>").code()).isEqualTo(250);
            assertThat(c.command("RSET").code()).isEqualTo(250);
            c.quit();
        }
        assertNoSmuggledTransaction();
    }

    /** Nothing reached the victim, and Postfix never took a MAIL command from the smuggled lines. */
    private static void assertNoSmuggledTransaction() throws Exception {
        Thread.sleep(1500); // what Postfix would have done with smuggled commands, it has done by now
        assertThat(postfix.delivered("victim")).isEmpty();
        assertThat(postfix.log()).doesNotContain("from=<evil@ours.test>").doesNotContain("to=<victim@remote.test>");
        assertThat(postfix.command("postqueue", "-p").out()).doesNotContain("victim@remote.test");
    }

    /** Commits a message to the spool as another path than SMTP would, and hands it to the scheduler. */
    private static void queue(String from, List<String> to, String message) throws Exception {
        Spool.Incoming in = engine.spool().receive();
        in.stream().write(message.getBytes(StandardCharsets.ISO_8859_1));
        List<Envelope> envs = in.commit(from, to.stream().map(t -> new Spool.Recipient(t, "", Envelope.Action.RELAY)).toList(),
                Instant.now());
        engine.scheduler().enqueue(envs);
    }

    private static void expect(InputStream in, String code) throws Exception {
        StringBuilder reply = new StringBuilder();
        for (;;) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) throw new AssertionError("connection closed; so far: " + reply);
                line.append((char) b);
            }
            reply.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') break;
        }
        assertThat(reply.toString()).startsWith(code);
    }
}
