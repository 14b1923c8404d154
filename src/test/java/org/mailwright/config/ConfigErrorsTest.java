package org.mailwright.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailwright.queue.EngineProcess;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/** Broken mailwright.conf texts, each with the exact {@code mailwright.conf:LINE: what — what to do} it must produce. */
class ConfigErrorsTest {
    /** Line numbers: 1 hostname, 2 domains, 4 [tls], 5 mode, 7 [[listen]], 8 address, 9 port, 10 tls, 11 auth. */
    static final String GOOD = """
            hostname = "mx.example.org"
            domains = ["example.org"]

            [tls]
            mode = "self-signed"

            [[listen]]
            address = "127.0.0.1"
            port = 2525
            tls = "starttls"
            auth = "optional"
            """;

    @TempDir Path data;

    @BeforeEach
    void certificateFiles() throws IOException {
        Files.createDirectories(data.resolve("tls"));
        Files.writeString(data.resolve("tls/fullchain.pem"), "not checked here");
        Files.writeString(data.resolve("tls/privkey.pem"), "not checked here");
    }

    static String with(String from, String to) {
        if (!GOOD.contains(from)) throw new IllegalArgumentException(from);
        return GOOD.replace(from, to);
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("unknown key", with("\n\n[tls]", "\ncolour = \"blue\"\n[tls]"),
                        "mailwright.conf:3: unknown key \"colour\" — remove it or check the spelling (known here: hostname, domains, ip, ipv6, admin, tls, listen, delivery, limits, submission, queue, outbound, match, dns, inbound)"),
                Arguments.of("unknown key in a listener", GOOD + "bind = \"x\"\n",
                        "mailwright.conf:12: unknown key \"listen.bind\" — remove it or check the spelling (known here: address, port, tls, auth)"),
                Arguments.of("wrong type", with("port = 2525", "port = \"2525\""),
                        "mailwright.conf:9: \"listen.port\" must be a number, not the string \"2525\" — write a port from 1 to 65535"),
                Arguments.of("wrong type for a list", with("domains = [\"example.org\"]", "domains = \"example.org\""),
                        "mailwright.conf:2: \"domains\" must be a list of strings, like [\"a\", \"b\"], not the string \"example.org\""),
                Arguments.of("unknown enum value", with("tls = \"starttls\"", "tls = \"yes\""),
                        "mailwright.conf:10: \"listen.tls\" = \"yes\" is not one of starttls, require, implicit, none — use one of those"),
                Arguments.of("unknown tls mode", with("mode = \"self-signed\"", "mode = \"letsencrypt\""),
                        "mailwright.conf:5: \"tls.mode\" = \"letsencrypt\" is not one of self-signed, acme, files, none — use one of those"),
                Arguments.of("port 0", with("port = 2525", "port = 0"),
                        "mailwright.conf:9: \"listen.port\" = 0 is out of range 1..65535 — write a port from 1 to 65535"),
                Arguments.of("port 70000", with("port = 2525", "port = 70000"),
                        "mailwright.conf:9: \"listen.port\" = 70000 is out of range 1..65535 — write a port from 1 to 65535"),
                Arguments.of("missing hostname", with("hostname = \"mx.example.org\"", "# no hostname"),
                        "mailwright.conf:1: hostname is missing — add hostname = \"mail.example.org\" (the name other servers see)"),
                Arguments.of("hostname not qualified", with("\"mx.example.org\"", "\"mx\""),
                        "mailwright.conf:1: hostname \"mx\" is not a fully qualified host name — use a name like \"mail.example.org\""),
                Arguments.of("missing cert file", with("mode = \"self-signed\"", "mode = \"files\"\ncert = \"tls/missing.pem\""),
                        "mailwright.conf:6: certificate file tls/missing.pem does not exist — run `mailwright tls self-signed` (or `tls acme`, `tls import`) or fix the path"),
                Arguments.of("AUTH required without TLS", with("tls = \"starttls\"\nauth = \"optional\"", "tls = \"none\"\nauth = \"require\""),
                        "mailwright.conf:11: listener on port 2525 requires AUTH without TLS; passwords would cross the network in clear — set tls = \"require\" or \"implicit\""),
                Arguments.of("duplicate listener", GOOD + "\n[[listen]]\naddress = \"127.0.0.1\"\nport = 2525\n",
                        "mailwright.conf:15: a second listener on 127.0.0.1 port 2525 — remove one of them"),
                Arguments.of("listener without a port", with("port = 2525\n", ""),
                        "mailwright.conf:7: [[listen]] has no port — add port = 25 (or 587, 465, …)"),
                Arguments.of("bad match rule", GOOD + "\n[[match]]\nfrom = \"everyone\"\nfor = \"local\"\naction = \"deliver\"\n",
                        "mailwright.conf:14: match from \"everyone\" is not known — use any, local, auth or src:CIDR (like src:192.0.2.0/24)"),
                Arguments.of("match rule with a bad network", GOOD + "\n[[match]]\nfrom = \"src:192.0.2.0/33\"\nfor = \"any\"\naction = \"relay\"\n",
                        "mailwright.conf:14: match from \"src:192.0.2.0/33\" has no valid network — write it like src:192.0.2.0/24"),
                Arguments.of("match rule for an address without a domain", GOOD + "\n[[match]]\nfrom = \"any\"\nfor = \"rcpt:boss\"\naction = \"deliver\"\n",
                        "mailwright.conf:15: match for \"rcpt:boss\" is not known — use any, local, domain:example.org or rcpt:user@example.org"),
                Arguments.of("match rule without action", GOOD + "\n[[match]]\nfrom = \"any\"\nfor = \"local\"\n",
                        "mailwright.conf:13: match rule has no action — add action = \"deliver\", \"relay\" or \"reject\""),
                Arguments.of("bad duration", GOOD + "\n[limits]\nidle_timeout = \"5 fortnights\"\n",
                        null),
                Arguments.of("TOML syntax error", with("hostname = \"mx.example.org\"", "hostname = mx.example.org"), null),
                // ranges of every duration and size (issue 11): "30d" of idle time overflowed SubEthaSMTP's int millis
                Arguments.of("idle_timeout too long", GOOD + "\n[limits]\nidle_timeout = \"30d\"\n",
                        "mailwright.conf:14: \"limits.idle_timeout\" = \"30d\" is out of range 0s or 1s..1h — write a number and s, m, h or d from 1s to 1h, like \"5m\", or \"0s\" for none"),
                Arguments.of("idle_timeout as a number", GOOD + "\n[limits]\nidle_timeout = 30\n",
                        "mailwright.conf:14: \"limits.idle_timeout\" must be a duration string like \"5m\", not the number 30 — write a number and s, m, h or d from 1s to 1h, like \"5m\", or \"0s\" for none"),
                Arguments.of("duration beyond any clock", GOOD + "\n[limits]\nidle_timeout = \"99999999999999999999d\"\n",
                        "mailwright.conf:14: \"limits.idle_timeout\": \"99999999999999999999d\" is not a duration — write a number and s, m, h or d from 1s to 1h, like \"5m\", or \"0s\" for none"),
                Arguments.of("session_timeout too long", GOOD + "\n[limits]\nsession_timeout = \"2d\"\n",
                        "mailwright.conf:14: \"limits.session_timeout\" = \"2d\" is out of range 0s or 1s..1d — write a number and s, m, h or d from 1s to 1d, like \"5m\", or \"0s\" for none"),
                Arguments.of("auth_lockout of nothing", GOOD + "\n[limits]\nauth_lockout = \"0s\"\n",
                        "mailwright.conf:14: \"limits.auth_lockout\" = \"0s\" is out of range 1s..1d — write a number and s, m, h or d from 1s to 1d, like \"5m\""),
                Arguments.of("max_recipients 0", GOOD + "\n[limits]\nmax_recipients = 0\n",
                        "mailwright.conf:14: \"limits.max_recipients\" = 0 is out of range 1..100000 — write a number from 1 to 100000 (RFC 5321 asks for at least 100; Postfix uses 1000)"),
                Arguments.of("old [delivery] max_recipients out of range", GOOD + "\n[delivery]\nmax_recipients = 200000\n",
                        "mailwright.conf:14: \"delivery.max_recipients\" = 200000 is out of range 1..100000 — write a number from 1 to 100000 (RFC 5321 asks for at least 100; Postfix uses 1000)"),
                Arguments.of("soft_error_limit 0", GOOD + "\n[limits]\nsoft_error_limit = 0\n",
                        "mailwright.conf:14: \"limits.soft_error_limit\" = 0 is out of range 1..1000 — write a number of failed commands from 1 to 1000"),
                Arguments.of("hard_error_limit too high", GOOD + "\n[limits]\nhard_error_limit = 5000\n",
                        "mailwright.conf:14: \"limits.hard_error_limit\" = 5000 is out of range 1..1000 — write a number of failed commands from 1 to 1000"),
                Arguments.of("min_data_rate negative", GOOD + "\n[limits]\nmin_data_rate = -1\n",
                        "mailwright.conf:14: \"limits.min_data_rate\" = -1 is out of range 0..1000000000 — write bytes per second from 0 (no minimum) to 1000000000, like 500 (Postfix's smtpd_min_data_rate)"),
                Arguments.of("max_connections 0", GOOD + "\n[limits]\nmax_connections = 0\n",
                        "mailwright.conf:14: \"limits.max_connections\" = 0 is out of range 1..100000 — write a number of connections from 1 to 100000"),
                Arguments.of("max_message_size tiny", GOOD + "\n[delivery]\nmax_message_size = 10\n",
                        "mailwright.conf:14: \"delivery.max_message_size\" = 10 is out of range 1024..2147483646 — write a size in bytes from 1024 to 2147483646, like 36700160 for 35 MB"),
                Arguments.of("max_message_size past 2 GB", GOOD + "\n[delivery]\nmax_message_size = 3000000000\n",
                        "mailwright.conf:14: \"delivery.max_message_size\" = 3000000000 is out of range 1024..2147483646 — write a size in bytes from 1024 to 2147483646, like 36700160 for 35 MB"),
                Arguments.of("retry entry too long", GOOD + "\n[queue]\nretry_schedule = [\"5m\", \"2d\"]\n",
                        "mailwright.conf:14: \"queue.retry_schedule\" = \"2d\" is out of range 1s..1d — write a number and s, m, h or d from 1s to 1d, like \"5m\""),
                Arguments.of("retry entry not a duration", GOOD + "\n[queue]\nretry_schedule = [\"soon\"]\n",
                        "mailwright.conf:14: \"queue.retry_schedule\": \"soon\" is not a duration — write a number and s, m, h or d from 1s to 1d, like \"5m\""),
                Arguments.of("expire too long", GOOD + "\n[queue]\nexpire = \"60d\"\n",
                        "mailwright.conf:14: \"queue.expire\" = \"60d\" is out of range 1s..30d — write a number and s, m, h or d from 1s to 30d, like \"5m\""),
                Arguments.of("dmarc mode unknown", GOOD + "\n[inbound]\ndmarc = \"strict\"\n",
                        "mailwright.conf:14: \"inbound.dmarc\" = \"strict\" is not one of enforce, report-only, off — use one of those"),
                Arguments.of("dnsbl not a zone", GOOD + "\n[inbound]\ndnsbl = [\"zen\"]\n",
                        "mailwright.conf:14: blocklist zone \"zen\" is not a DNS zone — write it like \"zen.spamhaus.org\""),
                Arguments.of("greylist delay too long", GOOD + "\n[inbound]\ngreylist_delay = \"2h\"\n",
                        "mailwright.conf:14: \"inbound.greylist_delay\" = \"2h\" is out of range 1s..1h — write a number and s, m, h or d from 1s to 1h, like \"5m\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void eachProblemIsReportedAtItsLine(String what, String text, String expected) {
        ConfigException e = catchConfig(text);
        if (expected != null) {
            assertThat(e.problems()).containsExactly(expected);
        } else {
            // wording from a library (TOML parser) or a shared helper: line and the hint are ours
            assertThat(e.problems()).hasSize(1);
            assertThat(e.problems().get(0)).matches("mailwright\\.conf:\\d+: .+ — .+");
        }
        assertThat(e.getMessage()).contains(e.problems().get(0));
    }

    @Test
    void tomlSyntaxErrorNamesLine1AndTheFix() {
        ConfigException e = catchConfig(with("hostname = \"mx.example.org\"", "hostname = mx.example.org"));
        assertThat(e.problems().get(0)).startsWith("mailwright.conf:1: ")
                .endsWith("— fix the TOML syntax (strings need \"quotes\", tables [name], arrays [a, b])");
    }

    @Test
    void durationProblemIsAtItsLine() {
        ConfigException e = catchConfig(GOOD + "\n[limits]\nidle_timeout = \"5 fortnights\"\n");
        assertThat(e.problems().get(0)).startsWith("mailwright.conf:14: \"limits.idle_timeout\": ");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException e = catchConfig(with("port = 2525", "port = 0").replace("tls = \"starttls\"", "tls = \"yes\"") + "colour = 1\n");
        assertThat(e.problems()).hasSize(3);
        assertThat(e.problems()).allMatch(p -> p.matches("mailwright\\.conf:(9|10|12): .+ — .+"));
    }

    @Test
    void maxRecipientsLivesInLimitsAndAnOldDeliveryValueIsStillRead() throws Exception {
        assertThat(ConfigLoader.parse(GOOD, data).limits().maxRecipients()).isEqualTo(1000); // Postfix's smtpd_recipient_limit
        assertThat(ConfigLoader.parse(GOOD + "\n[delivery]\nmax_recipients = 50\n", data).limits().maxRecipients()).isEqualTo(50);
        assertThat(ConfigLoader.parse(GOOD + "\n[delivery]\nmax_recipients = 50\n\n[limits]\nmax_recipients = 70\n", data)
                .limits().maxRecipients()).as("[limits] wins").isEqualTo(70);
        String written = ConfigWriter.toToml(ConfigLoader.parse(GOOD + "\n[delivery]\nmax_recipients = 50\n", data));
        assertThat(written.substring(written.indexOf("[limits]"))).contains("\nmax_recipients = 50\n");
        assertThat(written.substring(written.indexOf("[delivery]"), written.indexOf("[limits]"))).doesNotContain("max_recipients");
    }

    @Test
    void zeroSwitchesTimeoutsOffAndTheNewLimitsHaveTheirDefaults() throws Exception {
        Config c = ConfigLoader.parse(GOOD + "\n[limits]\nidle_timeout = \"0s\"\nsession_timeout = \"0s\"\n", data);
        assertThat(c.limits().idleTimeout()).isZero();
        assertThat(c.limits().sessionTimeout()).isZero();
        Config d = ConfigLoader.parse(GOOD, data);
        assertThat(d.limits().softErrorLimit()).isEqualTo(10);
        assertThat(d.limits().hardErrorLimit()).isEqualTo(20);
        assertThat(d.limits().sessionTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(d.limits().minDataRate()).isEqualTo(500L);
        assertThat(ConfigLoader.parse(GOOD + "\n[limits]\nidle_timeout = \"1h\"\n", data).limits().idleTimeout()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theGoodConfigParses() throws Exception {
        Config c = ConfigLoader.parse(GOOD, data);
        assertThat(c.hostname()).isEqualTo("mx.example.org");
        assertThat(c.listeners()).containsExactly(new Config.Listener("127.0.0.1", 2525, Config.ListenerTls.STARTTLS, Config.ListenerAuth.OPTIONAL));
    }

    ConfigException catchConfig(String text) {
        try {
            ConfigLoader.parse(text, data);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("no problem reported for:\n" + text);
    }

    /** {@code config check} and {@code serve} as processes: exit 1, the lines on stderr, and no port opened. */
    @Test
    void configCheckAndServeRefuseABrokenConfig(@TempDir Path tmp) throws Exception {
        TestData good = new TestData(tmp.resolve("data"), "mx.example.org", "example.org");
        Path conf = good.dir.resolve("mailwright.conf");
        String text = Files.readString(conf);
        int port = good.smtp;
        String broken = text.replace("port = " + good.submission, "port = 70000").replaceFirst("(?m)^hostname = .*$", "hostname = \"mx\"");
        assertThat(broken).isNotEqualTo(text);
        Files.writeString(conf, broken);
        List<String> lines = broken.lines().toList();
        int hostLine = lines.indexOf("hostname = \"mx\"") + 1;
        int portLine = lines.indexOf("port = 70000") + 1;

        Peers.Result check = Peers.run(EngineProcess.command(good.dir, "config", "check"), null, 60);
        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.out()).contains("mailwright.conf:" + hostLine + ": hostname \"mx\" is not a fully qualified host name")
                .contains("mailwright.conf:" + portLine + ": \"listen.port\" = 70000 is out of range 1..65535");

        Process serve = new ProcessBuilder(EngineProcess.command(good.dir, "serve")).redirectErrorStream(true).start();
        byte[] out = serve.getInputStream().readAllBytes();
        assertThat(serve.waitFor()).isEqualTo(1);
        assertThat(new String(out)).contains("mailwright.conf:" + portLine + ":");
        try (Socket s = new Socket()) {
            assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", port), 500)).isInstanceOf(IOException.class);
        }
        assertThat(Files.exists(good.dir.resolve("queue"))).as("nothing of the engine started").isFalse();

        Files.writeString(conf, text);
        Peers.Result fixed = Peers.run(EngineProcess.command(good.dir, "config", "check"), null, 60);
        assertThat(fixed.exit()).as(fixed.out()).isZero();
    }

    static Stream<Config> configs() {
        Config base = org.mailwright.config.Defaults.config("mx.example.org", List.of("example.org"),
                Defaults.listeners("0.0.0.0", 25, 587, 465), Config.TlsMode.SELF_SIGNED, Config.DeliveryFormat.MAILDIR);
        Config busy = new Config("mail.example.net", List.of("example.net", "example.com"), "203.0.113.7", "2001:db8::25", "root",
                new Config.Tls(Config.TlsMode.ACME, "tls/fullchain.pem", "tls/privkey.pem", "https://acme.test/dir", "ops@example.net", 8080,
                        List.of("mta-sts.example.net"), "tls/test-ca.pem"),
                List.of(new Config.Listener("127.0.0.1", 2525, Config.ListenerTls.NONE, Config.ListenerAuth.NONE),
                        new Config.Listener("::1", 4650, Config.ListenerTls.IMPLICIT, Config.ListenerAuth.REQUIRE)),
                new Config.Delivery(Config.DeliveryFormat.MBOX, 1_048_576),
                new Config.Limits(9, 2, Duration.ofSeconds(45), 1, 4, Duration.ofHours(2), 7, 3, 6, Duration.ofMinutes(20), 0),
                new Config.Submission(false, List.of("root", "news")),
                new Config.Queue(List.of(Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofHours(6)), Duration.ofDays(2)),
                new Config.Outbound("127.0.0.1:5353", 2526, Config.OutboundTls.REQUIRE, "smtp.provider.test:587", "me", "secrets/smarthost"),
                List.of(Config.MatchRule.of("src:192.0.2.0/24", "any", Config.Action.REJECT),
                        Config.MatchRule.of("any", "domain:example.net", Config.Action.DELIVER),
                        Config.MatchRule.of("auth", "rcpt:boss@example.com", Config.Action.RELAY)),
                new Config.Dns(Config.SpfAll.SOFTFAIL, "dmarc@example.net", "", List.of("bl.example.net"), "mx.example.com:25"),
                new Config.Inbound(Config.DmarcMode.REPORT_ONLY, List.of("dnsbl.example.net"), true, Duration.ofMinutes(2)));
        Config noTls = new Config("mx.example.org", List.of(), "", "", "", Defaults.tls(Config.TlsMode.NONE),
                List.of(new Config.Listener("127.0.0.1", 25, Config.ListenerTls.NONE, Config.ListenerAuth.OPTIONAL)),
                Defaults.delivery(Config.DeliveryFormat.MAILDIR), Defaults.limits(), Defaults.submission(), Defaults.queue(),
                Defaults.outbound(), List.of(), Defaults.dns(), Defaults.inbound());
        return Stream.of(base, busy, noTls);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void configWriterOutputParsesBackToAnEqualConfig(Config c) throws Exception {
        String text = ConfigWriter.toToml(c);
        Config back = ConfigLoader.parse(text, null);
        assertThat(back).isEqualTo(c);
        assertThat(ConfigWriter.toToml(back)).isEqualTo(text);
        ConfigWriter.save(c, data);
        assertThat(ConfigLoader.load(data)).isEqualTo(c);
    }
}
