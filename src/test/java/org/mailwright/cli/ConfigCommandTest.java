package org.mailwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.config.ConfigLoader;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.TestData;
import org.mailwright.testing.InProcessCli;

/** {@code config get} and {@code config set}, on a stopped and on a running engine. */
class ConfigCommandTest {
    @TempDir
    Path dir;

    private InProcessCli.Run cli(TestData data, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--data";
        all[1] = data.dir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return InProcessCli.run(null, all);
    }

    @Test
    void getPrintsEffectiveValuesAndJson() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org");
        assertThat(cli(data, "config", "get", "hostname").out()).isEqualTo("mx.example.org\n");
        assertThat(cli(data, "config", "get", "limits.idle_timeout").out()).isEqualTo("5m\n");
        assertThat(cli(data, "config", "get", "domains").out()).isEqualTo("example.org\n");
        JsonNode j = new ObjectMapper().readTree(cli(data, "config", "get", "limits.max_recipients", "--json").out());
        assertThat(j.path("key").asText()).isEqualTo("limits.max_recipients");
        assertThat(j.path("value").isNumber()).isTrue();
        assertThat(j.path("value").asInt()).isEqualTo(1000);
        JsonNode list = new ObjectMapper().readTree(cli(data, "config", "get", "dns.blocklists", "--json").out());
        assertThat(list.path("value").isArray()).isTrue();
    }

    @Test
    void unknownKeyIsBadUsageWithCloseKeys() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org");
        InProcessCli.Run r = cli(data, "config", "get", "limits.max_recipient");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown key \"limits.max_recipient\"").contains("limits.max_recipients");
        assertThat(cli(data, "config", "set", "outbound.tsl", "none").exit()).isEqualTo(2);
    }

    @Test
    void setOnAStoppedEngineChecksTheValueAndKeepsTheFileOnError() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org");
        Path file = data.dir.resolve(ConfigLoader.FILE_NAME);
        String before = Files.readString(file);
        InProcessCli.Run bad = cli(data, "config", "set", "limits.idle_timeout", "30d");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("idle_timeout").contains("out of range").contains("unchanged");
        assertThat(Files.readString(file)).isEqualTo(before);

        InProcessCli.Run ok = cli(data, "config", "set", "outbound.resolver", "127.0.0.1:5353");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("outbound.resolver = 127.0.0.1:5353").contains("not running");
        assertThat(cli(data, "config", "get", "outbound.resolver").out()).isEqualTo("127.0.0.1:5353\n");
        JsonNode j = new ObjectMapper().readTree(cli(data, "config", "set", "tls.extra_names", "mta-sts.example.org", "--json").out());
        assertThat(j.path("engine").asText()).isEqualTo("stopped");
        assertThat(j.path("value").get(0).asText()).isEqualTo("mta-sts.example.org");
    }

    @Test
    void theRunningEngineAppliesMaxRecipientsWithoutRestart() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org")
                .user("alice", "correct horse battery").user("bob", "correct horse battery").user("carol", "correct horse battery");
        try (Engine engine = Engine.start(data.dir)) {
            InProcessCli.Run r = cli(data, "config", "set", "limits.max_recipients", "2");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("applied to the running engine");
            try (SmtpClient c = SmtpClient.connect(data.smtp)) {
                c.ehlo();
                assertThat(c.cmd("MAIL FROM:<someone@remote.test>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<alice@example.org>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<bob@example.org>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<carol@example.org>")).startsWith("452 4.5.3");
            }

            InProcessCli.Run restart = cli(data, "config", "set", "hostname", "mail.example.org");
            assertThat(restart.out()).contains("restart the engine to apply: hostname");
            assertThat(engine.config().hostname()).isEqualTo("mx.example.org");
            JsonNode j = new ObjectMapper().readTree(cli(data, "config", "set", "limits.idle_timeout", "2m", "--json").out());
            assertThat(j.path("engine").asText()).isEqualTo("running");
            assertThat(j.path("restart").toString()).contains("limits.idle_timeout");
            assertThat(data.maillog()).contains(" control reload ");
        }
    }

    @Test
    void setKeepsEveryOtherLine() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org");
        Path file = data.dir.resolve(ConfigLoader.FILE_NAME);
        Files.writeString(file, "# my notes at the top\n" + Files.readString(file)
                .replace("[dns]\n", "[dns]\n# reports go to the ops team\n")
                .replace("dmarc_report = \"\"", "dmarc_report = \"ops@example.org\" # since May"));
        String before = Files.readString(file);
        assertThat(cli(data, "config", "set", "submission.send_as_anyone", "root, news").exit()).isZero();
        List<String> was = before.lines().toList();
        List<String> now = Files.readString(file).lines().toList();
        assertThat(now).hasSameSizeAs(was);
        for (int i = 0; i < was.size(); i++) {
            if (was.get(i).startsWith("send_as_anyone")) assertThat(now.get(i)).isEqualTo("send_as_anyone = [\"root\", \"news\"]");
            else assertThat(now.get(i)).isEqualTo(was.get(i));
        }
    }
}
