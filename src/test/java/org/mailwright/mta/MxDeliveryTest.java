package org.mailwright.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailwright.mta.MtaTestSupport.awaitMessage;
import static org.mailwright.mta.MtaTestSupport.deliveries;
import static org.mailwright.mta.MtaTestSupport.events;
import static org.mailwright.mta.MtaTestSupport.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import org.mailwright.testing.TestDns;

/**
 * Mailwright relays by MX to a real Postfix (Debian's package) on 127.0.3.2, with dnsmasq as the DNS server
 * on 127.0.3.1 serving the test zones. Postfix starts once for the class; one test stops and starts it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MxDeliveryTest {
    private static final String PASSWORD = "sender-password-1";

    @TempDir static Path tmp;
    static TestData ours;
    static TestDns dns;
    static PostfixPeer postfix;
    static Engine engine;
    static final Map<String, String> txt = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        PythonDkimVerifier.assertInstalled();
        Peers.require("swaks", "swaks");
        MtaTestSupport.openForPostfix(tmp);
        ours = new TestData(tmp.resolve("ours"), "mail.ours.test", "ours.test", "127.0.3.1");
        ours.user("sender", PASSWORD);
        txt.putAll(MtaTestSupport.keygen(ours));
        txt.putAll(MtaTestSupport.keygen(ours, "--type", "ed25519", "--selector", "ed"));

        TestDns.Zone zone = TestDns.zone().local("test")
                .mx("remote.test", "mx.remote.test", 10).host("mx.remote.test", "127.0.3.2")
                // backup.test: the preferred MX is down (nothing listens on 127.0.3.9), the second one is Postfix
                .mx("backup.test", "dead.backup.test", 10).host("dead.backup.test", "127.0.3.9")
                .mx("backup.test", "mx.remote.test", 20)
                // nomx.test: no MX at all, only an A record (RFC 5321 §5.1 implicit MX)
                .host("nomx.test", "127.0.3.2")
                // brokentls.test: Postfix offers STARTTLS there but cannot complete a handshake with us
                .mx("brokentls.test", "mx.brokentls.test", 10).host("mx.brokentls.test", "127.0.3.4");
        txt.forEach(zone::longTxt);
        dns = TestDns.start(tmp.resolve("dns"), "127.0.3.1", zone);

        int port = TestData.freePort();
        postfix = new PostfixPeer(tmp.resolve("postfix"), "127.0.3.2", port, "mx.remote.test",
                List.of("remote.test", "backup.test", "nomx.test", "brokentls.test"),
                Map.of("alice@remote.test", "alice", "anna@remote.test", "anna", "bob@backup.test", "bob", "carol@nomx.test", "carol",
                        "dave@brokentls.test", "dave"));
        // A second listener whose only TLS protocol and cipher no modern client accepts: the handshake fails.
        postfix.service("127.0.3.4:" + port + " inet n - n - - smtpd -o smtpd_tls_protocols=TLSv1"
                + " -o smtpd_tls_ciphers=high -o tls_high_cipherlist=NULL-MD5");
        postfix.start();

        ours.config(c -> TestData.withQueue(
                TestData.withOutbound(c, new Config.Outbound(dns.resolver(), port, Config.OutboundTls.OPPORTUNISTIC, "", "", "")),
                // an hour: only `queue retry` brings a deferred message out again within the test
                new Config.Queue(List.of(Duration.ofHours(1)), Duration.ofDays(4))));
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
    void deliversToPostfixOverStartTlsSignedWithBothKeysThatPythonDkimVerifies() throws Exception {
        submit(ours, "127.0.3.1", "sender", PASSWORD, "sender@ours.test", "signed-test", "alice@remote.test");

        byte[] delivered = awaitMessage(() -> postfix.delivered("alice"), "signed-test");
        String text = new String(delivered, StandardCharsets.UTF_8);
        assertThat(text).contains("a=rsa-sha256").contains("a=ed25519-sha256").contains("d=ours.test");
        // Postfix says in its Received: line that the hop was encrypted.
        assertThat(text).containsPattern("\\(using TLSv1\\.[23] with cipher");

        PythonDkimVerifier.Result verdict = new PythonDkimVerifier(tmp).verify(delivered, txt);
        assertThat(verdict.verdicts()).as("python3-dkim verdicts, log:\n%s", verdict.log()).containsExactly(true, true);

        MaillogEntry ok = deliveries(ours, "alice@remote.test", 1).get(0);
        assertThat(ok.fields()).containsEntry("result", "Ok").containsEntry("relay", "mx.remote.test[127.0.3.2]")
                .containsKey("delay");
        assertThat(ok.fields().get("stat")).startsWith("250 2.0.0 Ok: queued as ");
        MaillogEntry connected = events(ours, "mta", "connected").get(0);
        assertThat(connected.fields().get("tls")).matches("TLSv1\\.[23]");
        // Postfix's certificate is self-signed: encrypted, but not verified (and the log says so).
        assertThat(connected.fields()).containsEntry("verified", "no");
    }

    @Test
    @Order(2)
    void oneTransactionForOneDomainRefusedRecipientBouncesTheOthersArrive() throws Exception {
        submit(ours, "127.0.3.1", "sender", PASSWORD, "sender@ours.test", "batch-test",
                "alice@remote.test", "anna@remote.test", "nobody@remote.test");

        awaitMessage(() -> postfix.delivered("alice"), "batch-test");
        awaitMessage(() -> postfix.delivered("anna"), "batch-test");
        byte[] bounce = awaitMessage(() -> ours.delivered("sender"), "nobody@remote.test");

        // Both accepted recipients went in the same transaction: Postfix queued one message for them.
        String aliceStat = deliveries(ours, "alice@remote.test", 2).get(1).fields().get("stat");
        String annaStat = deliveries(ours, "anna@remote.test", 1).get(0).fields().get("stat");
        assertThat(aliceStat).startsWith("250 2.0.0 Ok: queued as ").isEqualTo(annaStat);

        MaillogEntry refused = deliveries(ours, "nobody@remote.test", 1).get(0);
        assertThat(refused.fields()).containsEntry("result", "PermFail").containsEntry("relay", "mx.remote.test[127.0.3.2]");
        assertThat(refused.fields().get("stat")).startsWith("550 5.1.1 <nobody@remote.test>: Recipient address rejected");

        // RFC 3464 report from MAILER-DAEMON: names the recipient and Postfix's own reply, carries the original headers.
        String report = new String(bounce, StandardCharsets.UTF_8);
        assertThat(report).contains("From: Mail Delivery System <MAILER-DAEMON@mail.ours.test>")
                .contains("multipart/report; report-type=delivery-status")
                .contains("<nobody@remote.test>: host mx.remote.test[127.0.3.2] said: 550 5.1.1 <nobody@remote.test>: Recipient address rejected")
                .contains("Final-Recipient: rfc822; nobody@remote.test")
                .contains("Status: 5.1.1")
                .contains("Content-Type: text/rfc822-headers")
                .contains("Subject: batch-test")
                .doesNotContain("<alice@remote.test>:");
        // The bounce itself comes from the null sender.
        assertThat(events(ours, "mda", "delivery")).anySatisfy(e ->
                assertThat(e.fields()).containsEntry("from", "<>").containsEntry("to", "<sender@ours.test>").containsEntry("result", "Ok"));
    }

    @Test
    @Order(3)
    void firstMxDownSecondMxTakesIt() throws Exception {
        submit(ours, "127.0.3.1", "sender", PASSWORD, "sender@ours.test", "backup-mx-test", "bob@backup.test");

        awaitMessage(() -> postfix.delivered("bob"), "backup-mx-test");
        assertThat(events(ours, "mta", "host-failed")).anySatisfy(e -> {
            assertThat(e.fields()).containsEntry("relay", "dead.backup.test[127.0.3.9]");
            assertThat(e.fields().get("stat")).contains("Connection refused");
        });
        assertThat(deliveries(ours, "bob@backup.test", 1)).singleElement().satisfies(e ->
                assertThat(e.fields()).containsEntry("result", "Ok").containsEntry("relay", "mx.remote.test[127.0.3.2]"));
    }

    @Test
    @Order(4)
    void domainWithoutMxGetsMailAtItsAddressRecord() throws Exception {
        submit(ours, "127.0.3.1", "sender", PASSWORD, "sender@ours.test", "implicit-mx-test", "carol@nomx.test");

        awaitMessage(() -> postfix.delivered("carol"), "implicit-mx-test");
        assertThat(deliveries(ours, "carol@nomx.test", 1)).singleElement().satisfies(e ->
                assertThat(e.fields()).containsEntry("result", "Ok").containsEntry("relay", "nomx.test[127.0.3.2]"));
    }

    @Test
    @Order(6)
    void aFailedStartTlsHandshakeFallsBackToClearTextInOpportunisticMode() throws Exception {
        submit(ours, "127.0.3.1", "sender", PASSWORD, "sender@ours.test", "broken-tls-test", "dave@brokentls.test");

        String delivered = new String(awaitMessage(() -> postfix.delivered("dave"), "broken-tls-test"), StandardCharsets.UTF_8);
        // Postfix's Received: says ESMTP, not ESMTPS: the hop went in clear.
        assertThat(delivered).contains("by mx.remote.test (Postfix) with ESMTP id");
        assertThat(events(ours, "mta", "tls-failed")).anySatisfy(e ->
                assertThat(e.fields()).containsEntry("relay", "mx.brokentls.test[127.0.3.4]").containsEntry("next", "reconnect without TLS"));
        assertThat(events(ours, "mta", "connected")).anySatisfy(e ->
                assertThat(e.fields()).containsEntry("relay", "mx.brokentls.test[127.0.3.4]:" + postfix.port).containsEntry("tls", "failed"));
        assertThat(deliveries(ours, "dave@brokentls.test", 1)).singleElement().satisfies(e ->
                assertThat(e.fields()).containsEntry("result", "Ok"));
    }

    @Test
    @Order(5)
    void theNextMessageToTheSameHostReusesTheConnection() throws Exception {
        submit(ours, "127.0.3.1", "sender", PASSWORD, "sender@ours.test", "reuse-one", "alice@remote.test");
        awaitMessage(() -> postfix.delivered("alice"), "reuse-one");
        long connectionsBefore = connectionsTo("mx.remote.test[127.0.3.2]");
        submit(ours, "127.0.3.1", "sender", PASSWORD, "sender@ours.test", "reuse-two", "anna@remote.test");
        awaitMessage(() -> postfix.delivered("anna"), "reuse-two");

        assertThat(connectionsBefore).isPositive();
        assertThat(connectionsTo("mx.remote.test[127.0.3.2]")).as("no new connection for the second message")
                .isEqualTo(connectionsBefore);
    }

    private static long connectionsTo(String relay) throws java.io.IOException {
        return events(ours, "mta", "connected").stream().filter(e -> e.fields().get("relay").startsWith(relay + ":")).count();
    }

    @Test
    @Order(10)
    void postfixDownDefersThenQueueRetryDeliversOnceItIsBack() throws Exception {
        postfix.stop();
        try {
            submit(ours, "127.0.3.1", "sender", PASSWORD, "sender@ours.test", "while-down-test", "alice@remote.test");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    deliveries(ours, "alice@remote.test").stream().anyMatch(e -> "TempFail".equals(e.fields().get("result"))));
            MaillogEntry deferred = deliveries(ours, "alice@remote.test").stream()
                    .filter(e -> "TempFail".equals(e.fields().get("result"))).findFirst().orElseThrow();
            assertThat(deferred.fields().get("stat")).contains("Connection refused");
            assertThat(deferred.fields()).containsEntry("relay", "mx.remote.test[127.0.3.2]").containsKey("delay");

            // `queue list --json` (a separate process, through the control socket) shows it waiting, with the error.
            Peers.Result list = Peers.run(Peers.mailwright(ours.dir, "queue", "list", "--json"), null, 120);
            assertThat(list.exit()).as(list.out()).isZero();
            JsonNode all = new ObjectMapper().readTree(list.out().substring(list.out().indexOf('[')));
            assertThat(all).singleElement().satisfies(n -> {
                assertThat(n.get("to").asText()).isEqualTo("alice@remote.test");
                assertThat(n.get("attempts").asInt()).isEqualTo(1);
                assertThat(n.get("last_error").asText()).contains("Connection refused");
                assertThat(n.get("next_attempt").asText()).isNotEmpty();
            });
            // The spool keeps the message as received: it is signed on the way out, each time it leaves.
            String queued = java.nio.file.Files.readString(engine.spool().messageFile(all.get(0).get("message_id").asText()));
            assertThat(queued).contains("while-down-test").doesNotContain("DKIM-Signature");
        } finally {
            postfix.start();
        }
        Peers.Result retry = Peers.run(Peers.mailwright(ours.dir, "queue", "retry", "--all"), null, 120);
        assertThat(retry.exit()).as(retry.out()).isZero();
        assertThat(retry.out()).contains("Scheduled 1 envelope");

        awaitMessage(() -> postfix.delivered("alice"), "while-down-test");
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.scheduler().list().isEmpty());
    }
}
