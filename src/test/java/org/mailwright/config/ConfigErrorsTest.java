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
                        "mailwright.conf:3: unknown key \"colour\" — remove it or check the spelling (known here: hostname, domains, ip, ipv6, admin, tls, listen, delivery, limits, submission, queue, outbound, match, dns)"),
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
                Arguments.of("match rule without action", GOOD + "\n[[match]]\nfrom = \"any\"\nfor = \"local\"\n",
                        "mailwright.conf:13: match rule has no action — add action = \"deliver\", \"relay\" or \"reject\""),
                Arguments.of("bad duration", GOOD + "\n[limits]\nidle_timeout = \"5 fortnights\"\n",
                        null),
                Arguments.of("TOML syntax error", with("hostname = \"mx.example.org\"", "hostname = mx.example.org"), null));
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
                new Config.Tls(Config.TlsMode.ACME, "tls/fullchain.pem", "tls/privkey.pem", "https://acme.test/dir", "ops@example.net", 8080),
                List.of(new Config.Listener("127.0.0.1", 2525, Config.ListenerTls.NONE, Config.ListenerAuth.NONE),
                        new Config.Listener("::1", 4650, Config.ListenerTls.IMPLICIT, Config.ListenerAuth.REQUIRE)),
                new Config.Delivery(Config.DeliveryFormat.MBOX, 1_048_576),
                new Config.Limits(9, 2, Duration.ofSeconds(45), 1, 4, Duration.ofHours(2), 7, 3, 6, Duration.ofMinutes(20), 0),
                new Config.Submission(false, List.of("root", "news")),
                new Config.Queue(List.of(Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofHours(6)), Duration.ofDays(2)),
                new Config.Outbound("127.0.0.1:5353", 2526, Config.OutboundTls.REQUIRE, "smtp.provider.test:587", "me", "secrets/smarthost"),
                List.of(new Config.MatchRule("src:192.0.2.0/24", "any", Config.Action.REJECT),
                        new Config.MatchRule("any", "domain:example.net", Config.Action.DELIVER),
                        new Config.MatchRule("auth", "rcpt:boss@example.com", Config.Action.RELAY)));
        Config noTls = new Config("mx.example.org", List.of(), "", "", "", Defaults.tls(Config.TlsMode.NONE),
                List.of(new Config.Listener("127.0.0.1", 25, Config.ListenerTls.NONE, Config.ListenerAuth.OPTIONAL)),
                Defaults.delivery(Config.DeliveryFormat.MAILDIR), Defaults.limits(), Defaults.submission(), Defaults.queue(),
                Defaults.outbound(), List.of());
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
