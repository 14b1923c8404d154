package org.mailwright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.admin.LocalAdmin;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.TestData;
import org.mailwright.testing.InProcessCli;

/** The local side of the admin layer through the commands: user, tls, status and log with --json, on a stopped and a running engine. */
class AdminCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    TestData data() throws Exception {
        return new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("alice", "password-alice");
    }

    JsonNode json(String... args) throws Exception {
        InProcessCli.Run r = InProcessCli.run(null, args);
        assertThat(r.exit()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void usersAndTlsAsJson() throws Exception {
        TestData d = data();
        String data = d.dir.toString();
        assertThat(InProcessCli.run("password-bob1\n", "--data", data, "user", "add", "bob", "--password-stdin").exit()).isZero();
        assertThat(json("--data", data, "user", "list", "--json").findValuesAsText("name")).containsExactly("alice", "bob");
        InProcessCli.Run again = InProcessCli.run("password-bob1\n", "--data", data, "user", "add", "bob", "--password-stdin");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("mailwright: user bob exists already — use `user passwd bob` to change the password\n");
        assertThat(InProcessCli.run("password-bob2\n", "--data", data, "user", "passwd", "bob", "--password-stdin").exit()).isZero();
        assertThat(InProcessCli.run(null, "--data", data, "user", "delete", "bob").exit()).isZero();
        assertThat(InProcessCli.run(null, "--data", data, "user", "list").out()).isEqualTo("alice\n");

        JsonNode before = json("--data", data, "tls", "status", "--json");
        assertThat(before.path("mode").asText()).isEqualTo("self-signed");
        assertThat(before.path("certificate").path("names").toString()).contains("mx.example.org");
        assertThat(before.path("certificate").path("days_left").asInt()).isBetween(29, 30);
        JsonNode made = json("--data", data, "tls", "self-signed", "--days", "90", "--json");
        assertThat(made.path("certificate").path("serial").asText()).isNotEqualTo(before.path("certificate").path("serial").asText());
        assertThat(json("--data", data, "tls", "status", "--json").path("certificate").path("days_left").asInt()).isBetween(89, 90);

        InProcessCli.Run badRemote = InProcessCli.run(null, "--data", data, "user", "list", "--remote", "not a target");
        assertThat(badRemote.exit()).isEqualTo(1);
        assertThat(badRemote.err()).startsWith("mailwright: --remote: 'not a target' is not USER@HOST[:PORT]");
    }

    @Test
    void aliasesAreAddedListedAndDeletedWithTheFileKeptReadable() throws Exception {
        TestData d = data();
        String data = d.dir.toString();
        Files.writeString(d.dir.resolve("aliases"), "# the club's aliases\nboard: alice\n");
        assertThat(InProcessCli.run(null, "--data", data, "alias", "add", "info", "alice", "friend@elsewhere.test").exit()).isZero();
        assertThat(InProcessCli.run(null, "--data", data, "alias", "add", "board", "bob").exit()).isZero();
        assertThat(InProcessCli.run(null, "--data", data, "alias", "add", "@second.example.org", "alice").exit()).isZero();
        assertThat(InProcessCli.run(null, "--data", data, "alias", "list").out())
                .isEqualTo("board: alice, bob\ninfo: alice, friend@elsewhere.test\n@second.example.org: alice\n");
        JsonNode list = json("--data", data, "alias", "list", "--json");
        assertThat(list.get(1).path("targets").toString()).isEqualTo("[\"alice\",\"friend@elsewhere.test\"]");
        assertThat(Files.readString(d.dir.resolve("aliases"))).startsWith("# the club's aliases\nboard: alice, bob\n");

        InProcessCli.Run bad = InProcessCli.run(null, "--data", data, "alias", "add", "sales", "/var/mail/sales");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("delivery to files, commands and includes is not supported").contains("nothing was changed");
        assertThat(InProcessCli.run(null, "--data", data, "alias", "delete", "info").exit()).isZero();
        InProcessCli.Run gone = InProcessCli.run(null, "--data", data, "alias", "delete", "info");
        assertThat(gone.err()).isEqualTo("mailwright: no alias info — see `mailwright alias list`\n");
        assertThat(InProcessCli.run(null, "--data", data, "alias", "add", "sales").exit()).isEqualTo(2); // a target is required
        assertThat(InProcessCli.run(null, "--data", data, "alias", "list").out()).isEqualTo("board: alice, bob\n@second.example.org: alice\n");
    }

    @Test
    void statusOfAStoppedAndARunningEngine() throws Exception {
        TestData d = data();
        String data = d.dir.toString();
        JsonNode stopped = json("--data", data, "status", "--json");
        assertThat(stopped.path("running").asBoolean()).isFalse();
        assertThat(stopped.path("uptime_seconds").isNull()).isTrue();
        assertThat(stopped.path("hostname").asText()).isEqualTo("mx.example.org");
        assertThat(stopped.path("domains").toString()).isEqualTo("[\"example.org\"]");
        assertThat(stopped.path("listeners")).hasSize(3);
        assertThat(stopped.path("listeners").get(0).path("port").asInt()).isEqualTo(d.smtp);
        assertThat(stopped.path("certificate").path("not_after").asText()).isNotEmpty();
        assertThat(stopped.path("queue_size").asInt()).isZero();
        assertThat(InProcessCli.run(null, "--data", data, "status").out()).contains("not running").contains("127.0.0.1:" + d.smtp + " tls=");

        try (Engine e = Engine.start(d.dir)) {
            try (SmtpClient c = SmtpClient.connect(d.submission)) {
                c.ehlo();
                c.startTls();
                c.ehlo();
                assertThat(c.authPlain("alice", "wrong-password")).startsWith("535");
            }
            JsonNode running = json("--data", data, "status", "--json");
            assertThat(running.path("running").asBoolean()).isTrue();
            assertThat(running.path("uptime_seconds").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(running.path("version").asText()).isNotEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    json("--data", data, "status", "--json").path("today").path("auth_failures").asInt() == 1);
        }
    }

    @Test
    void logSinceAndFollowAcrossRotation() throws Exception {
        TestData d = data();
        Path log = Files.createDirectories(d.dir.resolve("log")).resolve("maillog");
        Instant now = Instant.now();
        Files.writeString(log.resolveSibling("maillog.1"), now.minusSeconds(7200) + " - smtp connected old=1\n");
        Files.writeString(log, now.minusSeconds(60) + " - smtp connected recent=1\n");
        String data = d.dir.toString();

        assertThat(InProcessCli.run(null, "--data", data, "log").out()).contains("old=1").contains("recent=1");
        InProcessCli.Run recent = InProcessCli.run(null, "--data", data, "log", "--since", "1h");
        assertThat(recent.out()).doesNotContain("old=1").contains("recent=1");
        assertThat(InProcessCli.run(null, "--data", data, "log", "--since", now.minusSeconds(3 * 3600).toString()).out()).contains("old=1");
        InProcessCli.Run bad = InProcessCli.run(null, "--data", data, "log", "--since", "yesterday");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("--since \"yesterday\" is neither an instant");

        Files.writeString(log, now.minusSeconds(30) + " a1b2c3d4e5f60718 mta delivery to=<b@x.test> result=TempFail stat=\"451 4.4.1 later\"\n"
                + now.minusSeconds(20) + " a1b2c3d4 mta host-failed relay=mx.x.test stat=\"421 busy\"\n"
                + now.minusSeconds(10) + " ffffffff00000000 mta delivery to=<c@y.test> result=Ok stat=Sent\n",
                java.nio.file.StandardOpenOption.APPEND);
        InProcessCli.Run one = InProcessCli.run(null, "--data", data, "log", "--message", "a1b2c3d4e5f60718");
        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(one.out().lines()).hasSize(2).allMatch(l -> l.contains(" a1b2c3d4"));
        assertThat(InProcessCli.run(null, "--data", data, "log", "--message", "a1b2c3d4", "--since", "25s").out().lines())
                .singleElement().asString().contains("host-failed");

        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (AutoCloseable tail = new LocalAdmin(d.dir).followLog(null, seen::add)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(now.minusSeconds(60) + " - smtp connected recent=1"));
            Files.writeString(log, now + " - smtp connected before-rotation=1\n", java.nio.file.StandardOpenOption.APPEND);
            // rotation as Maillog does it: rename, then a new file
            Files.move(log.resolveSibling("maillog.1"), log.resolveSibling("maillog.2"));
            Files.move(log, log.resolveSibling("maillog.1"));
            Files.writeString(log, now + " - smtp connected after-rotation=1\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().anyMatch(l -> l.contains("after-rotation=1")));
            assertThat(seen.stream().filter(l -> l.contains("before-rotation=1"))).hasSize(1);
        }
    }
}
