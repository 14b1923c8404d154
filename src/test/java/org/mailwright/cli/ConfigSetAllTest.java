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

/** {@code config set-all}: the Settings view's save — several keys as one checked, atomic edit, the engine told once. */
class ConfigSetAllTest {
    @TempDir
    Path dir;

    private static InProcessCli.Run cli(TestData data, String stdin, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--data";
        all[1] = data.dir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return InProcessCli.run(stdin, all);
    }

    @Test
    void oneBadValueChangesNothingAndGoodOnesKeepEveryOtherLine() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org");
        Path file = data.dir.resolve(ConfigLoader.FILE_NAME);
        Files.writeString(file, "# my notes at the top\n" + Files.readString(file).replace("[outbound]\n", "[outbound]\n# ask the ops resolver\n"));
        String before = Files.readString(file);

        InProcessCli.Run bad = cli(data, "{\"limits.max_recipients\": \"5\", \"limits.idle_timeout\": \"30d\"}", "config", "set-all");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("idle_timeout").contains("unchanged");
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(cli(data, "{\"limits.max_recipent\": \"5\"}", "config", "set-all").exit()).as("an unknown key is bad usage").isEqualTo(2);
        assertThat(cli(data, "not json", "config", "set-all").exit()).isEqualTo(2);

        InProcessCli.Run ok = cli(data, "{\"limits.max_recipients\": \"5\", \"outbound.resolver\": \"127.0.13.40:53\", \"submission.send_as_anyone\": \"root, news\"}",
                "config", "set-all", "--json");
        assertThat(ok.exit()).as(ok.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(ok.out());
        assertThat(j.path("engine").asText()).isEqualTo("stopped");
        assertThat(j.path("values").path("limits.max_recipients").asInt()).isEqualTo(5);
        assertThat(j.path("values").path("submission.send_as_anyone").get(1).asText()).isEqualTo("news");
        List<String> was = before.lines().toList();
        List<String> now = Files.readString(file).lines().toList();
        assertThat(now).hasSameSizeAs(was);
        for (int i = 0; i < was.size(); i++) {
            String w = was.get(i);
            if (w.startsWith("max_recipients")) assertThat(now.get(i)).isEqualTo("max_recipients = 5");
            else if (w.startsWith("resolver")) assertThat(now.get(i)).isEqualTo("resolver = \"127.0.13.40:53\"");
            else if (w.startsWith("send_as_anyone")) assertThat(now.get(i)).isEqualTo("send_as_anyone = [\"root\", \"news\"]");
            else assertThat(now.get(i)).isEqualTo(w);
        }
    }

    @Test
    void listenersAreReplacedInTheSameEditAndTheRestStays() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org", "127.0.13.41");
        Path file = data.dir.resolve(ConfigLoader.FILE_NAME);
        Files.writeString(file, "# my notes at the top\n" + Files.readString(file));
        String before = Files.readString(file);
        int port = TestData.freePort();
        String listen = "[{\"address\": \"127.0.13.41\", \"port\": " + port + ", \"tls\": \"starttls\", \"auth\": \"none\"},"
                + " {\"address\": \"127.0.13.41\", \"port\": " + data.submission + ", \"tls\": \"require\", \"auth\": \"require\"}]";

        InProcessCli.Run bad = cli(data, "{\"listen\": [{\"address\": \"127.0.13.41\", \"port\": 25, \"tls\": \"sometimes\", \"auth\": \"none\"}]}", "config", "set-all");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("sometimes").contains("unchanged");
        assertThat(Files.readString(file)).isEqualTo(before);

        InProcessCli.Run ok = cli(data, "{\"limits.max_recipients\": \"7\", \"listen\": " + listen + "}", "config", "set-all", "--json");
        assertThat(ok.exit()).as(ok.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(ok.out());
        assertThat(j.path("values").path("listen")).hasSize(2);
        var c = ConfigLoader.load(data.dir);
        assertThat(c.listeners()).hasSize(2);
        assertThat(c.listeners().get(0).port()).isEqualTo(port);
        assertThat(c.listeners().get(1).port()).isEqualTo(data.submission);
        assertThat(c.limits().maxRecipients()).isEqualTo(7);
        String after = Files.readString(file);
        assertThat(after).startsWith("# my notes at the top\n").containsOnlyOnce("# Listeners.");
        // every line outside the listeners and the edited key is as it was
        List<String> kept = before.lines().filter(l -> !l.startsWith("address =") && !l.startsWith("port =") && !l.startsWith("tls =")
                && !l.startsWith("auth =") && !l.startsWith("[[listen]]") && !l.startsWith("max_recipients") && !l.isBlank()).toList();
        List<String> now = after.lines().filter(l -> !l.startsWith("address =") && !l.startsWith("port =") && !l.startsWith("tls =")
                && !l.startsWith("auth =") && !l.startsWith("[[listen]]") && !l.startsWith("max_recipients") && !l.isBlank()).toList();
        assertThat(now).isEqualTo(kept);
    }

    @Test
    void theRunningEngineAppliesWhatItCanAndNamesTheRest() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org")
                .user("alice", "correct horse battery").user("bob", "correct horse battery");
        try (Engine engine = Engine.start(data.dir)) {
            InProcessCli.Run r = cli(data, "{\"limits.max_recipients\": \"1\", \"hostname\": \"mail.example.org\"}", "config", "set-all");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("limits.max_recipients = 1").contains("restart the engine to apply: hostname");
            try (SmtpClient c = SmtpClient.connect(data.smtp)) {
                c.ehlo();
                assertThat(c.cmd("MAIL FROM:<someone@remote.test>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<alice@example.org>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<bob@example.org>")).startsWith("452 4.5.3");
            }
            assertThat(engine.config().hostname()).isEqualTo("mx.example.org");
            assertThat(data.maillog()).containsOnlyOnce(" control reload ");
        }
    }

    /** The Settings view's rules: "match" replaces the [[match]] blocks in order, in place, and applies live. */
    @Test
    void rulesAreReplacedInOrderAndTheRunningEngineFollowsThem() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org")
                .user("alice", "correct horse battery").user("bob", "correct horse battery");
        Path file = data.dir.resolve(ConfigLoader.FILE_NAME);
        Files.writeString(file, Files.readString(file).replace("[dns]\n", "# the DNS part\n[dns]\n"));
        try (Engine engine = Engine.start(data.dir)) {
            InProcessCli.Run bad = cli(data, "{\"match\": [{\"from\": \"any\", \"for\": \"local\", \"action\": \"deliver\"},"
                    + " {\"from\": \"src:10.0.0.0/33\", \"for\": \"any\", \"action\": \"relay\"}]}", "config", "set-all");
            assertThat(bad.exit()).isEqualTo(1);
            assertThat(bad.err()).contains("rule 2").contains("src:10.0.0.0/33").contains("unchanged");

            String rules = "[{\"from\": \"any\", \"for\": \"rcpt:alice@example.org\", \"action\": \"reject\"},"
                    + " {\"from\": \"any\", \"for\": \"local\", \"action\": \"deliver\"},"
                    + " {\"from\": \"auth\", \"for\": \"any\", \"action\": \"relay\"}]";
            InProcessCli.Run ok = cli(data, "{\"match\": " + rules + "}", "config", "set-all");
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("applied to the running engine");
            try (SmtpClient c = SmtpClient.connect(data.smtp)) {
                c.ehlo();
                assertThat(c.cmd("MAIL FROM:<someone@remote.test>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<alice@example.org>")).startsWith("550");
                assertThat(c.cmd("RCPT TO:<bob@example.org>")).startsWith("250");
            }
            InProcessCli.Run get = cli(data, null, "config", "get", "match");
            assertThat(get.out().lines()).containsExactly("from any for rcpt:alice@example.org action reject",
                    "from any for local action deliver", "from auth for any action relay");
            assertThat(Files.readString(file)).contains("# the DNS part\n[dns]").containsOnlyOnce("# Rules, first match wins");
            InProcessCli.Run show = cli(data, null, "config", "show");
            assertThat(show.out().lines()).contains("hostname = mx.example.org", "limits.max_recipients = 1000",
                    "match from any for rcpt:alice@example.org action reject");
            assertThat(show.out()).contains("listen address ");

            // No rules at all: written as match = [] (not the defaults), and every recipient is refused.
            assertThat(cli(data, "{\"match\": []}", "config", "set-all").exit()).isZero();
            assertThat(ConfigLoader.load(data.dir).matches()).isEmpty();
            assertThat(Files.readString(file)).contains("\nmatch = []\n").doesNotContain("[[match]]");
            assertThat(cli(data, "{\"match\": " + rules + "}", "config", "set-all").exit()).isZero();
            assertThat(Files.readString(file)).doesNotContain("match = []");
            assertThat(ConfigLoader.load(data.dir).matches()).hasSize(3);
        }
    }

    /** {@code config smarthost-login}: the password into a 0600 file, never on a line of output or the maillog. */
    @Test
    void theSmarthostLoginKeepsThePasswordInAPrivateFile() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org");
        String password = "provider-pass-4417";
        try (Engine engine = Engine.start(data.dir)) {
            InProcessCli.Run noHost = cli(data, null, "config", "set", "outbound.smarthost", "127.0.13.42:2587");
            assertThat(noHost.exit()).as(noHost.err()).isZero();
            InProcessCli.Run r = cli(data, password + "\n", "config", "smarthost-login", "relay-user", "--password-stdin");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("relay-user").contains("applied to the running engine").doesNotContain(password);
            Path secret = data.dir.resolve("smarthost.password");
            assertThat(Files.readString(secret)).isEqualTo(password + "\n");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
            assertThat(engine.config().outbound().smarthostUser()).isEqualTo("relay-user");
            assertThat(engine.config().outbound().smarthostPasswordFile()).isEqualTo("smarthost.password");
            assertThat(Files.readString(data.dir.resolve(ConfigLoader.FILE_NAME))).doesNotContain(password);
            assertThat(data.maillog()).doesNotContain(password);

            assertThat(cli(data, "two\nlines\n", "config", "smarthost-login", "relay-user", "--password-stdin").exit()).isZero();
            assertThat(Files.readString(secret)).as("one line is read: the first").isEqualTo("two\n");

            InProcessCli.Run off = cli(data, null, "config", "smarthost-login", "");
            assertThat(off.exit()).as(off.err()).isZero();
            assertThat(secret).doesNotExist();
            assertThat(engine.config().outbound().smarthostUser()).isEmpty();
        }
    }
}
