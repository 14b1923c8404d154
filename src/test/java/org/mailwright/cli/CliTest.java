package org.mailwright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.control.QueueControl;
import org.mailwright.log.Printable;
import org.mailwright.lookup.Passwd;
import org.mailwright.queue.EngineProcess;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.Spool;
import org.mailwright.smtp.Mailboxes;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import picocli.CommandLine;
import org.mailwright.testing.InProcessCli;

/** The command line contract of the README: exit 0 done, 1 failed with one clear line, 2 bad usage. */
class CliTest {
    @TempDir Path dir;

    TestData data() throws Exception {
        int unused = TestData.freePort();
        // if an outbound relay exists, it must fail temporarily on loopback: nothing leaves the machine
        return new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("alice", "password-alice")
                .config(c -> TestData.withOutbound(c, new Config.Outbound("127.0.0.1:" + unused, unused, Config.OutboundTls.NONE,
                        "127.0.0.1:" + unused, "", "")));
    }

    static void collect(CommandLine c, List<List<String>> into, List<String> path) {
        for (Map.Entry<String, CommandLine> s : c.getSubcommands().entrySet()) {
            if (!s.getValue().getCommandName().equals(s.getKey())) continue; // aliases
            List<String> p = new ArrayList<>(path);
            p.add(s.getKey());
            into.add(p);
            collect(s.getValue(), into, p);
        }
    }

    @Test
    void versionHelpAndUsageErrors() throws Exception {
        InProcessCli.Run v = InProcessCli.run(null, "--version");
        assertThat(v.exit()).isZero();
        assertThat(v.out()).matches("(?s)mailwright \\d+\\.\\d+.*\n");

        List<List<String>> commands = new ArrayList<>();
        collect(new CommandLine(new MailwrightCommand()), commands, List.of());
        assertThat(commands).contains(List.of("serve"), List.of("user", "add"), List.of("queue", "list"), List.of("sendmail"), List.of("config", "check"));
        commands.add(List.of());
        for (List<String> c : commands) {
            if (c.equals(List.of("help"))) continue;
            List<String> args = new ArrayList<>(List.of("--data", dir.toString()));
            args.addAll(c);
            args.add("--help");
            InProcessCli.Run r = InProcessCli.run(null, args.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", c)).isZero();
            assertThat(r.out()).as(String.join(" ", c)).contains("Usage: mailwright");
        }
        assertThat(InProcessCli.run(null, "--bogus").exit()).isEqualTo(2);
        assertThat(InProcessCli.run(null, "queue", "list", "--bogus").exit()).isEqualTo(2);
        assertThat(InProcessCli.run(null, "user", "add").exit()).isEqualTo(2);
        InProcessCli.Run unknown = InProcessCli.run(null, "frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("frobnicate");

        // and as a real process: the exit status reaches the shell
        Peers.Result p = Peers.run(EngineProcess.command(dir, "--bogus"), null, 60);
        assertThat(p.exit()).isEqualTo(2);
        p = Peers.run(EngineProcess.command(dir, "--version"), null, 60);
        assertThat(p.exit()).isZero();
    }

    @Test
    void users() throws Exception {
        TestData d = new TestData(dir.resolve("data"), "mx.example.org", "example.org");
        String data = d.dir.toString();
        InProcessCli.Run r = InProcessCli.run("s3cret-password\n", "--data", data, "user", "add", "bob", "--password-stdin");
        assertThat(r.exit()).as(r.err()).isZero();
        Path passwd = d.dir.resolve("passwd");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwd))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(passwd)).singleElement().asString().matches("bob\t\\$2b\\$10\\$[./A-Za-z0-9]{53}");
        assertThat(new Passwd(d.dir).verify("bob", "s3cret-password")).isTrue();

        assertThat(InProcessCli.run("another-password\n", "--data", data, "user", "add", "bob", "--password-stdin").exit()).isEqualTo(1);
        for (String bad : List.of("Bob:x", "a b", "a/b", "_under", ".dot", "x".repeat(70), "Ünïcode")) {
            InProcessCli.Run b = InProcessCli.run("good-password\n", "--data", data, "user", "add", bad, "--password-stdin");
            assertThat(b.exit()).as(bad).isEqualTo(1);
            assertThat(b.err()).as(bad).startsWith("mailwright: ").contains("user name");
            assertThat(b.err().strip().lines()).as("one line").hasSize(1);
        }
        InProcessCli.Run longPw = InProcessCli.run("p".repeat(73) + "\n", "--data", data, "user", "add", "carol", "--password-stdin");
        assertThat(longPw.exit()).isEqualTo(1);
        assertThat(longPw.err()).contains("72 bytes");
        // 72 bytes in UTF-8 is the limit, not 72 characters
        InProcessCli.Run utf8 = InProcessCli.run("é".repeat(37) + "\n", "--data", data, "user", "add", "carol", "--password-stdin");
        assertThat(utf8.exit()).isEqualTo(1);
        assertThat(InProcessCli.run("short\n", "--data", data, "user", "add", "carol", "--password-stdin").exit()).isEqualTo(1);
        assertThat(InProcessCli.run("", "--data", data, "user", "add", "carol", "--password-stdin").exit()).isEqualTo(1);
        assertThat(Files.readString(passwd)).doesNotContain("carol");

        assertThat(InProcessCli.run("carols-password\n", "--data", data, "user", "add", "carol", "--password-stdin").exit()).isZero();
        String before = Files.readString(passwd);
        assertThat(InProcessCli.run("changed-password\n", "--data", data, "user", "passwd", "bob", "--password-stdin").exit()).isZero();
        assertThat(Files.readString(passwd)).isNotEqualTo(before);
        assertThat(new Passwd(d.dir).verify("bob", "changed-password")).isTrue();
        assertThat(new Passwd(d.dir).verify("bob", "s3cret-password")).isFalse();
        assertThat(InProcessCli.run("x-password\n", "--data", data, "user", "passwd", "nobody", "--password-stdin").exit()).isEqualTo(1);

        assertThat(InProcessCli.run(null, "--data", data, "user", "list").out()).isEqualTo("bob\ncarol\n");
        assertThat(InProcessCli.run(null, "--data", data, "user", "delete", "bob").exit()).isZero();
        assertThat(InProcessCli.run(null, "--data", data, "user", "delete", "bob").exit()).isEqualTo(1);
        assertThat(InProcessCli.run(null, "--data", data, "user", "list").out()).isEqualTo("carol\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwd))).isEqualTo("rw-------");

        // the real process, once
        Peers.Result p = Peers.run(EngineProcess.command(d.dir, "user", "add", "dora", "--password-stdin"), "doras-password\n", 60);
        assertThat(p.exit()).as(p.out()).isZero();
        assertThat(new Passwd(d.dir).verify("dora", "doras-password")).isTrue();
    }

    /** Queues a message from alice to two remote recipients (they stay queued: no relay reaches anywhere). */
    static String queueRemote(TestData d, String subject) {
        InProcessCli.Run r = InProcessCli.run("Subject: " + subject + "\n\nwaiting\n", "--data", d.dir.toString(), "sendmail", "-f", "alice@example.org",
                "one@far-away.test", "two@far-away.test");
        assertThat(r.exit()).as(r.err()).isZero();
        return r.err();
    }

    static JsonNode list(TestData d) throws Exception {
        InProcessCli.Run r = InProcessCli.run(null, "--data", d.dir.toString(), "queue", "list", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode a = new ObjectMapper().readTree(r.out());
        assertThat(a.isArray()).isTrue();
        return a;
    }

    static JsonNode envelopeTo(JsonNode list, String to) {
        for (JsonNode e : list) if (e.get("to").asText().equals(to)) return e;
        throw new AssertionError("no envelope to " + to + " in " + list);
    }

    void queueCommands(TestData d, boolean running) throws Exception {
        String data = d.dir.toString();
        queueRemote(d, "queued " + running);
        JsonNode all = list(d);
        assertThat(all).hasSize(2);
        JsonNode one = envelopeTo(all, "one@far-away.test");
        for (String field : List.of("id", "from", "to", "attempts", "next_attempt", "last_error")) assertThat(one.has(field)).as(field).isTrue();
        assertThat(one.get("from").asText()).isEqualTo("alice@example.org");
        String messageId = one.get("message_id").asText();

        InProcessCli.Run table = InProcessCli.run(null, "--data", data, "queue", "list");
        assertThat(table.out()).contains(one.get("id").asText()).contains("<one@far-away.test>").contains("<two@far-away.test>");

        InProcessCli.Run show = InProcessCli.run(null, "--data", data, "queue", "show", messageId);
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("envelope:     " + one.get("id").asText()).contains("Subject: queued " + running);
        assertThat(InProcessCli.run(null, "--data", data, "queue", "show", "deadbeef").exit()).isEqualTo(1);
        InProcessCli.Run whole = InProcessCli.run(null, "--data", data, "queue", "show", "--message", one.get("id").asText());
        assertThat(whole.exit()).as(whole.err()).isZero();
        assertThat(whole.out()).contains("Subject: queued " + running).contains("\nwaiting\n").doesNotContain("envelope:").doesNotContain("not shown");
        InProcessCli.Run wholeJson = InProcessCli.run(null, "--data", data, "queue", "show", "--message", "--json", messageId);
        JsonNode m = new ObjectMapper().readTree(wholeJson.out());
        assertThat(m.get("text").asText()).contains("\r\n\r\nwaiting\r\n");
        assertThat(m.get("cut").asBoolean()).isFalse();
        assertThat(m.get("size").asLong()).isEqualTo(m.get("text").asText().length());
        assertThat(InProcessCli.run(null, "--data", data, "queue", "show", "--message", "deadbeef").err()).contains("nothing queued");

        InProcessCli.Run retry = InProcessCli.run(null, "--data", data, "queue", "retry", one.get("id").asText());
        assertThat(retry.exit()).as(retry.err()).isZero();
        assertThat(retry.out()).contains("1 envelope");
        assertThat(InProcessCli.run(null, "--data", data, "queue", "retry", "--all").exit()).isZero();
        assertThat(InProcessCli.run(null, "--data", data, "queue", "retry").exit()).isEqualTo(2);

        // bounce one: the bounce goes to alice (local); delete the other
        await().atMost(Duration.ofSeconds(20)).until(() ->
                InProcessCli.run(null, "--data", data, "queue", "bounce", one.get("id").asText()).exit() == 0);
        JsonNode two = envelopeTo(list(d), "two@far-away.test");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                InProcessCli.run(null, "--data", data, "queue", "delete", two.get("id").asText()).exit() == 0);
        assertThat(InProcessCli.run(null, "--data", data, "queue", "delete", two.get("id").asText()).exit()).isEqualTo(1);
        assertThat(list(d).findValuesAsText("to")).doesNotContain("one@far-away.test", "two@far-away.test");
        assertThat(Files.readString(d.dir.resolve("log/maillog"))).contains("queue bounce").contains("queue delete");
    }

    @Test
    void queueListAndShowPrintStoredControlCharactersEscaped() throws Exception {
        TestData d = data();
        // Straight into the spool, as a path other than SMTP (or a damaged spool) could leave it.
        String from = "evil\u001b[2J\u0007\u0000@example.org\r\nX-Forged: yes\u007f\u009b\u202e";
        String messageId;
        try (Spool.Incoming in = new Spool(d.dir).receive()) {
            in.stream().write("Subject: bell\u0007 and \u001b]0;title\u0007\r\nX-Folded: one\r\n\ttwo\r\n\r\nbody\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            messageId = in.commit(from, List.of(new Spool.Recipient("far\u000b\u000c@far-away.test", "", Envelope.Action.RELAY)),
                    Instant.now()).get(0).messageId();
        }
        String escapedFrom = "<evil\\x1b[2J\\x07\\x00@example.org\\x0d\\x0aX-Forged: yes\\x7f\\x9b\\u{202e}>";

        InProcessCli.Run table = InProcessCli.run(null, "--data", d.dir.toString(), "queue", "list");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains(escapedFrom).contains("<far\\x0b\\x0c@far-away.test>");
        assertPrintable(table.out());

        InProcessCli.Run show = InProcessCli.run(null, "--data", d.dir.toString(), "queue", "show", messageId);
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("from:         " + escapedFrom)
                .contains("Subject: bell\\x07 and \\x1b]0;title\\x07\n").contains("X-Folded: one\n\ttwo\n");
        assertPrintable(show.out());

        // JSON carries the stored value as it is, escaped as JSON: no raw control character in the output.
        assertThat(list(d).get(0).get("from").asText()).isEqualTo(from);
        assertPrintable(InProcessCli.run(null, "--data", d.dir.toString(), "queue", "list", "--json").out());
    }

    @Test
    void queueShowMessageIsBoundedAndSaysWhenItIsCut() throws Exception {
        TestData d = data();
        String messageId;
        try (Spool.Incoming in = new Spool(d.dir).receive()) {
            in.stream().write(("Subject: big\r\n\r\n" + "0123456789abcdef\r\n".repeat(20_000)).getBytes(StandardCharsets.UTF_8));
            messageId = in.commit("alice@example.org", List.of(new Spool.Recipient("far@far-away.test", "", Envelope.Action.RELAY)),
                    Instant.now()).get(0).messageId();
        }
        long size = Files.size(new Spool(d.dir).messageFile(messageId));
        InProcessCli.Run text = InProcessCli.run(null, "--data", d.dir.toString(), "queue", "show", "--message", messageId);
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).startsWith("Subject: big\n\n0123456789abcdef\n")
                .endsWith(String.format("[the first %,d of %,d bytes; the rest is not shown]%n", QueueControl.MESSAGE_LIMIT, size));
        JsonNode m = new ObjectMapper().readTree(InProcessCli.run(null, "--data", d.dir.toString(), "queue", "show", "--message", "--json", messageId).out());
        assertThat(m.get("cut").asBoolean()).isTrue();
        assertThat(m.get("size").asLong()).isEqualTo(size);
        assertThat(m.get("text").asText()).hasSize(QueueControl.MESSAGE_LIMIT);
    }

    /** Nothing a terminal acts on: only printable characters, LF, and TAB (JSON indentation, folded headers). */
    private static void assertPrintable(String out) {
        for (int i = 0; i < out.length(); ) {
            int c = out.codePointAt(i);
            assertThat(c == '\n' || c == '\t' || !Printable.unprintable(c)).as("U+%04X at %d in:%n%s", c, i, out).isTrue();
            i += Character.charCount(c);
        }
    }

    @Test
    void queueWithTheEngineStoppedThenRunning() throws Exception {
        TestData d = data();
        queueCommands(d, false);
        // the bounce waits in the queue for alice until the engine runs
        assertThat(list(d).findValuesAsText("to")).containsExactly("alice@example.org");
        assertThat(InProcessCli.run(null, "--data", d.dir.toString(), "queue", "list").out()).contains("<alice@example.org>");
        try (Engine e = Engine.start(d.dir)) {
            String bounce = Mailboxes.awaitOne(d, "alice", "one@far-away.test");
            assertThat(bounce).contains("Return-Path: <>").containsIgnoringCase("multipart/report");
            await().atMost(Duration.ofSeconds(10)).until(() -> list(d).isEmpty());
            queueCommands(d, true);
            await().atMost(Duration.ofSeconds(20)).until(() -> Mailboxes.containing(d, "alice", "one@far-away.test").size() == 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> list(d).isEmpty());
            assertThat(InProcessCli.run(null, "--data", d.dir.toString(), "queue", "list").out()).contains("The queue is empty.");
        }
    }
}
