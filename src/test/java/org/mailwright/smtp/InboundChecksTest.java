package org.mailwright.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.testing.PythonDkimSigner;
import org.mailwright.testing.TestData;
import org.mailwright.testing.TestDns;

/**
 * Mail from other servers is judged by SPF, DKIM and DMARC as their domains publish them (dnsmasq), signed by an
 * independent signer (python3-dkim): every case of the DMARC table, our own domain forged, forged
 * Authentication-Results, and what the maillog says. The sending servers are loopback addresses: 127.0.21.10 is
 * allowed by every test domain's SPF, 127.0.21.66 by none.
 */
class InboundChecksTest {
    static final String GOOD_IP = "127.0.21.10";
    static final String BAD_IP = "127.0.21.66";

    @TempDir static Path dir;
    static TestDns dns;
    static TestData data;
    static Engine engine;
    static PythonDkimSigner signer;
    static Path key;

    @BeforeAll
    static void start() throws Exception {
        signer = new PythonDkimSigner(dir.resolve("dkim"));
        key = PythonDkimSigner.rsaKey(dir.resolve("dkim/sel.pem"), 2048);
        String keyRecord = DkimKeys.dnsTxtValue(DkimKeys.load(key));
        TestDns.Zone zone = TestDns.zone().local("test").local("example.org").ttl(300);
        for (String[] d : new String[][] {{"ok.test", "reject"}, {"fail.test", "reject"}, {"quar.test", "quarantine"},
                {"none.test", "none"}}) {
            zone.txt(d[0], "v=spf1 ip4:" + GOOD_IP + " -all").txt("_dmarc." + d[0], "v=DMARC1; p=" + d[1])
                    .longTxt("sel._domainkey." + d[0], keyRecord);
        }
        zone.txt("example.org", "v=spf1 ip4:" + GOOD_IP + " -all").txt("_dmarc.example.org", "v=DMARC1; p=reject");
        dns = TestDns.start(dir.resolve("dns"), "127.0.21.1", zone);
        data = new TestData(dir.resolve("data"), "mail.example.org", "example.org").user("alice", "password-alice")
                .config(c -> TestData.withOutbound(c, c.outbound().withResolver(dns.resolver())));
        engine = Engine.start(data.dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) engine.close();
        if (dns != null) dns.close();
    }

    static String message(String from, String token, String... extraHeaders) {
        return String.join("\r\n", extraHeaders) + (extraHeaders.length == 0 ? "" : "\r\n")
                + "From: Sender <" + from + ">\r\nTo: alice@example.org\r\nSubject: " + token + "\r\n"
                + "Date: Thu, 03 Dec 2026 06:00:00 +0000\r\nMessage-ID: <" + token + "@" + from.substring(from.indexOf('@') + 1) + ">\r\n"
                + "\r\nHello " + token + ".\r\n";
    }

    static String send(String clientIp, String mailFrom, String message) throws Exception {
        try (SmtpClient c = SmtpClient.connectFrom(clientIp, data.smtp)) {
            c.cmd("EHLO client.test");
            return c.send(mailFrom, List.of("alice@example.org"), message);
        }
    }

    static String token() {
        return "T" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The delivered copy with this token in {@code folder} ("" inbox, ".Junk"); waits for it. */
    static String delivered(String folder, String token) {
        Path box = data.dir.resolve("mail/alice").resolve(folder).resolve("new");
        return await().atMost(Duration.ofSeconds(20)).until(() -> find(box, token), m -> m != null);
    }

    static String find(Path box, String token) throws Exception {
        if (!Files.isDirectory(box)) return null;
        try (var files = Files.list(box)) {
            for (Path p : files.toList()) {
                String m = Files.readString(p, StandardCharsets.ISO_8859_1);
                if (m.contains(token)) return m;
            }
        }
        return null;
    }

    static String authResults(String message) {
        int start = message.indexOf("Authentication-Results: mail.example.org;");
        assertThat(start).as(message).isGreaterThanOrEqualTo(0);
        int end = message.indexOf("\n", start); // Maildir copies end their lines in LF
        while (message.startsWith("\t", end + 1)) end = message.indexOf("\n", end + 1);
        return message.substring(start, end).replaceAll("\n\t", " ");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            pass by SPF                       | 127.0.21.10 | ok.test   | no  | ''      | spf=pass smtp.mailfrom=ok.test; dkim=none; dmarc=pass header.from=ok.test
            pass by aligned DKIM, SPF failing | 127.0.21.66 | ok.test   | yes | ''      | spf=fail smtp.mailfrom=ok.test; dkim=pass header.d=ok.test header.s=sel; dmarc=pass header.from=ok.test
            quarantine goes to Junk           | 127.0.21.66 | quar.test | no  | .Junk   | spf=fail smtp.mailfrom=quar.test; dkim=none; dmarc=fail header.from=quar.test
            none is delivered                 | 127.0.21.66 | none.test | no  | ''      | spf=fail smtp.mailfrom=none.test; dkim=none; dmarc=fail header.from=none.test
            """)
    void theDmarcTable(String name, String ip, String domain, String sign, String folder, String results) throws Exception {
        String t = token();
        String m = message("news@" + domain, t);
        if (sign.equals("yes")) m = signer.sign(m, key, "sel", domain);
        assertThat(send(ip, "news@" + domain, m)).startsWith("250");
        String copy = delivered(folder, t);
        assertThat(authResults(copy)).isEqualTo("Authentication-Results: mail.example.org; " + results);
        assertThat(copy.split("Authentication-Results:", -1)).hasSize(2);
        if (!folder.isEmpty()) {
            assertThat(data.dir.resolve("mail/alice/.Junk/maildirfolder")).exists();
            assertThat(find(data.dir.resolve("mail/alice/new"), t)).isNull();
        }
        String line = await().atMost(Duration.ofSeconds(10)).until(() -> deliveryLine(t), l -> l != null);
        String dmarc = results.replaceAll(".*dmarc=(\\w+).*", "$1");
        assertThat(line).contains("result=Ok").contains(" spf=" + results.replaceAll("^spf=(\\w+).*", "$1"))
                .contains(" dkim=" + (sign.equals("yes") ? "pass" : "none")).contains(" dmarc=" + dmarc);
        if (!folder.isEmpty()) assertThat(line).contains("folder=Junk");
    }

    /** The maillog's delivery line of the message with this token's Message-ID. */
    static String deliveryLine(String token) throws Exception {
        List<String> log = Files.readAllLines(data.dir.resolve("log/maillog"));
        String msgid = log.stream().filter(l -> l.contains(" smtp checks ") && l.contains("msgid="))
                .map(l -> l.replaceAll(".*msgid=(\\S+).*", "$1")).reduce((a, b) -> b).orElse(null);
        return log.stream().filter(l -> l.contains(" mda delivery ") && msgid != null && l.split(" ")[1].startsWith(msgid))
                .findFirst().orElse(null);
    }

    @Test
    void theHeloNameIsCheckedToo() throws Exception {
        String t = token();
        try (SmtpClient c = SmtpClient.connectFrom(BAD_IP, data.smtp)) {
            c.cmd("EHLO ok.test"); // ok.test's SPF does not allow this address
            assertThat(c.send("news@none.test", List.of("alice@example.org"), message("news@none.test", t))).startsWith("250");
        }
        assertThat(authResults(delivered("", t))).contains("spf=fail smtp.mailfrom=none.test; spf=fail smtp.helo=ok.test;");
    }

    @Test
    void aHeaderSectionOverOneMebibyteIsRefusedAndTheSessionGoesOn() throws Exception {
        String t = token();
        String huge = java.util.stream.IntStream.range(0, 1100).mapToObj(i -> "X-Filler-" + i + ": " + "y".repeat(980))
                .collect(java.util.stream.Collectors.joining("\r\n"));
        try (SmtpClient c = SmtpClient.connectFrom(BAD_IP, data.smtp)) {
            c.cmd("EHLO client.test");
            assertThat(c.send("news@none.test", List.of("alice@example.org"), huge + "\r\n" + message("news@none.test", t)))
                    .startsWith("552 5.3.4 The header section is longer than");
            assertThat(c.cmd("NOOP")).startsWith("250");
        }
        assertThat(find(data.dir.resolve("mail/alice/new"), t)).isNull();
    }

    @Test
    void rejectIsRefusedAfterTheDataAndNothingIsStored() throws Exception {
        String t = token();
        String reply = send(BAD_IP, "news@fail.test", message("news@fail.test", t));
        assertThat(reply).startsWith("550 5.7.1").contains("DMARC policy of fail.test").contains("p=reject");
        Thread.sleep(500);
        assertThat(find(data.dir.resolve("mail/alice/new"), t)).isNull();
        assertThat(find(data.dir.resolve("mail/alice/.Junk/new"), t)).isNull();
        assertThat(engine.scheduler().list()).noneMatch(e -> e.from().equals("news@fail.test"));
    }

    @Test
    void aBrokenSignatureDoesNotRescueAFailingSpf() throws Exception {
        String t = token();
        String signed = signer.sign(message("news@fail.test", t), key, "sel", "fail.test").replace("Hello " + t, "Hello, changed " + t);
        String reply = send(BAD_IP, "news@fail.test", signed);
        assertThat(reply).startsWith("550 5.7.1").contains("DKIM (fail for fail.test)");
    }

    @Test
    void ourOwnDomainFromOutsideIsRefusedUnlessOurSpfAllowsIt() throws Exception {
        String t = token();
        String forged = send(BAD_IP, "someone@other.test", message("boss@example.org", t));
        assertThat(forged).startsWith("550 5.7.1").contains("our domain example.org").contains(BAD_IP);
        String envelope = send(BAD_IP, "boss@example.org", message("boss@example.org", t));
        assertThat(envelope).startsWith("550 5.7.1");

        String t2 = token();
        assertThat(send(GOOD_IP, "boss@example.org", message("boss@example.org", t2))).startsWith("250");
        assertThat(authResults(delivered("", t2))).contains("spf=pass smtp.mailfrom=example.org").contains("dmarc=pass");
    }

    @Test
    void forgedAuthenticationResultsNamingUsAreRemovedOthersStay() throws Exception {
        String t = token();
        String m = message("news@none.test", t,
                "Authentication-Results: mail.example.org; dmarc=pass header.from=paypal.test",
                "Authentication-Results: MAIL.EXAMPLE.ORG (forged);\r\n\tspf=pass smtp.mailfrom=paypal.test",
                "Authentication-Results: mx.other.test; spf=pass smtp.mailfrom=none.test");
        assertThat(send(BAD_IP, "news@none.test", m)).startsWith("250");
        String copy = delivered("", t);
        assertThat(copy).doesNotContain("paypal.test").contains("Authentication-Results: mx.other.test; spf=pass smtp.mailfrom=none.test");
        assertThat(authResults(copy)).contains("dmarc=fail header.from=none.test");
        assertThat(copy.toLowerCase().split("authentication-results: mail.example.org", -1)).hasSize(2);
        // Our fields come right after our Received:, above everything the client sent.
        assertThat(copy.indexOf("Authentication-Results: mail.example.org")).isLessThan(copy.indexOf("mx.other.test"));
        assertThat(copy).startsWith("Return-Path: <news@none.test>\nDelivered-To: alice@example.org\nReceived: from client.test");
        assertThat(copy.indexOf("Authentication-Results: mail.example.org")).isGreaterThan(copy.indexOf("Received: from client.test"));
    }

    @Test
    void reportOnlyDeliversWhatEnforceWouldRefuseAndOffChecksNoDmarc() throws Exception {
        try {
            data.config(c -> c.withInbound(c.inbound().withDmarc(Config.DmarcMode.REPORT_ONLY)));
            engine.reloadConfig();
            String t = token();
            assertThat(send(BAD_IP, "news@fail.test", message("news@fail.test", t))).startsWith("250");
            assertThat(authResults(delivered("", t))).contains("dmarc=fail header.from=fail.test");

            data.config(c -> c.withInbound(c.inbound().withDmarc(Config.DmarcMode.OFF)));
            engine.reloadConfig();
            String t2 = token();
            assertThat(send(BAD_IP, "news@fail.test", message("news@fail.test", t2))).startsWith("250");
            assertThat(authResults(delivered("", t2))).isEqualTo("Authentication-Results: mail.example.org; spf=fail smtp.mailfrom=fail.test; dkim=none");
        } finally {
            data.config(c -> c.withInbound(c.inbound().withDmarc(Config.DmarcMode.ENFORCE)));
            engine.reloadConfig();
        }
    }

    @Test
    void aNetworkTheRulesLetRelayIsTrustedLikeALoggedInUser() throws Exception {
        List<Config.MatchRule> before = data.config().matches();
        try {
            data.config(c -> c.withMatches(java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(Config.MatchRule.of("src:127.0.21.77/32", "any", Config.Action.RELAY)), before.stream()).toList()));
            engine.reloadConfig();
            String t = token();
            assertThat(send("127.0.21.77", "printer@example.org", message("printer@example.org", t))).startsWith("250");
            assertThat(delivered("", t)).doesNotContain("Authentication-Results:");
            assertThat(send("127.0.21.78", "printer@example.org", message("printer@example.org", token()))).startsWith("550 5.7.1");
        } finally {
            data.config(c -> c.withMatches(before));
            engine.reloadConfig();
        }
    }

    @Test
    void mailFromTheMachineItselfAndAuthenticatedMailAreNotChecked() throws Exception {
        String t = token();
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.cmd("EHLO localhost");
            assertThat(c.send("cron@example.org", List.of("alice@example.org"), message("cron@example.org", t))).startsWith("250");
        }
        assertThat(delivered("", t)).doesNotContain("Authentication-Results:");
    }
}
