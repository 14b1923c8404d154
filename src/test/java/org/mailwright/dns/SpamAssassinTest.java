package org.mailwright.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dkim.KeyType;
import org.mailwright.mta.PostfixPeer;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import org.mailwright.testing.TestDns;

/**
 * The end-to-end check of the DNS recipe: a user submits a message to Mailwright, Mailwright signs it and relays
 * it by MX to a real Postfix, and Debian's SpamAssassin scores the message as Postfix stored it, resolving
 * through a dnsmasq that serves exactly the records Mailwright generated. SPF and DKIM must pass for our domain
 * and none of the missing-header rules may fire.
 *
 * <p>The engine's outbound connection leaves from 127.0.0.1 (the kernel's source address on loopback), so that is
 * the configured {@code ip}. SpamAssassin always trusts 127.0.0.0/8; {@code !127.0.0.1} in trusted_networks
 * (Net::Patricia) makes the Mailwright→Postfix hop the first untrusted one, the hop SPF is judged on.
 */
class SpamAssassinTest {
    private static final String HOST = "mail.example.test";
    private static final String DOMAIN = "example.test";
    private static final String LISTEN = "127.0.9.1";
    private static final String RECEIVER = "127.0.9.2";
    private static final String SOURCE_IP = "127.0.0.1";
    private static final String PASSWORD = "user-password-1";
    private static final Pattern TESTS = Pattern.compile("tests=(\\S*)");

    @TempDir static Path tmp;
    static TestData data;
    static TestDns dns;
    static PostfixPeer postfix;
    static Engine engine;
    static String spamassassin;

    @BeforeAll
    static void start() throws Exception {
        spamassassin = Peers.require("spamassassin", "spamassassin");
        Peers.require("swaks", "swaks");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // Postfix's virtual(8) gets through
        data = new TestData(tmp.resolve("data"), HOST, DOMAIN, LISTEN);
        data.user("user", PASSWORD);
        data.config(c -> c.withIp(SOURCE_IP));
        DkimKeys.generate(data.dir.resolve("dkim"), "s1", KeyType.RSA);

        DnsRecords records = DnsRecords.of(data.config(), DkimKeys.loadAll(data.dir.resolve("dkim")));
        dns = TestDns.start(tmp, TestDns.zone().records(records).local("receiver.test")
                .line("mx-host=receiver.test,mx.receiver.test,10")
                .line("dns-rr=mx.receiver.test,1," + TestDns.Zone.hex(RECEIVER)));

        int port = TestData.freePort();
        postfix = new PostfixPeer(tmp.resolve("postfix"), RECEIVER, port, "mx.receiver.test", List.of("receiver.test"),
                Map.of("rcpt@receiver.test", "rcpt"));
        postfix.start();

        data.config(c -> TestData.withOutbound(c, new Config.Outbound(dns.resolver(), port, Config.OutboundTls.OPPORTUNISTIC, "", "", "")));
        engine = Engine.start(data.dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) engine.close();
        if (postfix != null) postfix.close();
        if (dns != null) dns.close();
    }

    @Test
    void relayedMailPassesSpfAndDkimAndMissesNoHeader() throws Exception {
        String stored = submitAndAwait("spamassassin-check");

        Scored good = score(stored, "good");
        System.out.println("SpamAssassin score " + good.score + " tests=" + good.tests);
        assertThat(good.tests).as(good.output).contains("SPF_PASS", "SPF_HELO_PASS", "DKIM_SIGNED", "DKIM_VALID", "DKIM_VALID_AU")
                .doesNotContain("MISSING_DATE", "MISSING_MID", "MISSING_HEADERS", "MISSING_FROM", "MISSING_SUBJECT",
                        "SPF_FAIL", "SPF_SOFTFAIL", "SPF_NONE", "DKIM_INVALID");

        // The same rules do fire when the message is wrong: without Date and Message-ID, and with a body changed
        // after signing, SpamAssassin sees the missing headers and a signature that no longer verifies.
        String head = stored.substring(0, stored.indexOf("\n\n") + 2);
        String body = stored.substring(head.length());
        String tampered = head.replaceAll("(?mi)^(Date|Message-ID):.*\n", "") + body.replace("spamassassin-check", "tampered-check");
        Scored bad = score(tampered, "bad");
        System.out.println("SpamAssassin score (tampered) " + bad.score + " tests=" + bad.tests);
        assertThat(bad.tests).as(bad.output).contains("MISSING_DATE", "MISSING_MID", "DKIM_SIGNED", "SPF_PASS")
                .doesNotContain("DKIM_VALID", "DKIM_VALID_AU");
    }

    /** Submits on 587 (STARTTLS, AUTH PLAIN) with the headers a mail client writes; returns what Postfix stored. */
    private static String submitAndAwait(String marker) throws Exception {
        String message = String.join("\r\n",
                "From: Example User <user@" + DOMAIN + ">",
                "To: Receiver <rcpt@receiver.test>",
                "Subject: Minutes of the " + marker + " meeting",
                "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)),
                "Message-ID: <" + System.nanoTime() + "." + marker + "@" + DOMAIN + ">",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: 7bit",
                "",
                "Hello,",
                "",
                "here are the notes from today's " + marker + " meeting. We agreed to move the review",
                "to Thursday afternoon and to send the draft around by Wednesday evening.",
                "",
                "Regards,",
                "Example User",
                "");
        Path file = tmp.resolve(marker + ".eml");
        Files.writeString(file, message, StandardCharsets.UTF_8);
        Peers.Result r = Peers.swaks("--server", LISTEN, "--port", String.valueOf(data.submission), "-tls",
                "--auth", "PLAIN", "--auth-user", "user", "--auth-password", PASSWORD,
                "--from", "user@" + DOMAIN, "--to", "rcpt@receiver.test", "--data", file.toString());
        assertThat(r.exit()).as("swaks submission failed:\n%s", r.out()).isZero();

        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (Path p : postfix.delivered("rcpt")) {
                String s = Files.readString(p, StandardCharsets.UTF_8);
                if (s.contains(marker)) found[0] = s;
            }
            return found[0] != null;
        });
        return found[0];
    }

    record Scored(Set<String> tests, String score, String output) {}

    /** {@code spamassassin -t} with its own site config: only our test DNS, no blocklists, no Bayes, no learning. */
    private static Scored score(String message, String name) throws IOException, InterruptedException {
        Path site = tmp.resolve("sa-" + name);
        Files.createDirectories(site);
        // Debian's plugin loaders (SPF in init.pre, DKIM in v312.pre…), then our settings.
        try (var pre = Files.list(Path.of("/etc/spamassassin"))) {
            for (Path p : pre.filter(p -> p.getFileName().toString().endsWith(".pre")).toList()) {
                Files.copy(p, site.resolve(p.getFileName()));
            }
        }
        Files.writeString(site.resolve("zz-mailwright-test.pre"), String.join("\n",
                "loadplugin Mail::SpamAssassin::Plugin::SPF",
                "loadplugin Mail::SpamAssassin::Plugin::DKIM",
                ""));
        Files.writeString(site.resolve("local.cf"), String.join("\n",
                "dns_server " + dns.resolver(),
                "dns_available yes",
                "skip_rbl_checks 1",
                "use_bayes 0",
                "bayes_auto_learn 0",
                "use_auto_whitelist 0",
                "use_razor2 0",
                "use_pyzor 0",
                "use_dcc 0",
                "envelope_sender_header Return-Path",
                // The hop from Mailwright (127.0.0.1) to Postfix is the one to judge: not trusted, not internal.
                // SpamAssassin has 127.0.0.0/8 in both lists already (it warns that it "cannot exclude" the host,
                // yet Net::Patricia's most specific match leaves it out); SPF is only checked on an untrusted hop,
                // so SPF_PASS below also shows the exclusion took effect.
                "trusted_networks !" + SOURCE_IP,
                "internal_networks !" + SOURCE_IP,
                ""));
        Path prefs = site.resolve("user_prefs");
        Files.writeString(prefs, "");
        Path in = site.resolve("message.eml");
        Files.writeString(in, message, StandardCharsets.UTF_8);

        List<String> cmd = new ArrayList<>(List.of(spamassassin, "-t", "--siteconfigpath", site.toString(), "-p", prefs.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(in.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", site.toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isIn(0, 1);

        String headers = output.substring(0, Math.max(0, output.indexOf("\n\n"))).replaceAll("\r?\n[ \t]+", " ");
        String status = Arrays.stream(headers.split("\r?\n")).filter(l -> l.startsWith("X-Spam-Status:")).findFirst()
                .orElseThrow(() -> new AssertionError("no X-Spam-Status in:\n" + output));
        String unfolded = status.replaceAll(",\\s+", ",");
        Matcher m = TESTS.matcher(unfolded);
        assertThat(m.find()).as(status).isTrue();
        Set<String> tests = new TreeSet<>(Arrays.asList(m.group(1).split(",")));
        Matcher score = Pattern.compile("score=(\\S+)").matcher(unfolded);
        return new Scored(tests, score.find() ? score.group(1) : "?", output);
    }
}
