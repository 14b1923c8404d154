package org.mailwright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.queue.EngineProcess;
import org.mailwright.smtp.Mailboxes;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/** {@code mailwright sendmail}: the classic local submission path (`mail bob`, cron), as separate processes. */
class SendmailTest {
    @TempDir Path dir;

    static String token() {
        return "T" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void sendmailDeliversWhetherTheEngineRunsOrNot() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org")
                .user("alice", "password-alice").user("bob", "password-bob").user("carol", "password-carol");
        String t1 = token();
        String t2 = token();
        String t3 = token();
        try (Engine engine = Engine.start(data.dir)) {
            // a bare name, a message on stdin: picked up at once through the control socket
            Peers.Result r = Peers.run(EngineProcess.command(data.dir, "sendmail", "bob"), "Subject: " + t1 + "\n\nhello bob\n", 60);
            assertThat(r.exit()).as(r.out()).isZero();
            String m = Mailboxes.awaitOne(data, "bob", t1);
            assertThat(m).contains("hello bob").containsPattern("(?m)^Message-ID: <").containsPattern("(?m)^Date: ")
                    .containsPattern("(?m)^From: root@mx\\.example\\.org")
                    .contains("Return-Path: <root@mx.example.org>").containsPattern("(?m)^Received: from local user root\\b");

            // -t: recipients from To, Cc and Bcc; Bcc is removed
            r = Peers.run(EngineProcess.command(data.dir, "sendmail", "-t", "-f", "alice@example.org"),
                    "To: Bob <bob@example.org>\nCc: alice\nBcc: carol@example.org\nSubject: " + t2 + "\n\nto three\n", 60);
            assertThat(r.exit()).as(r.out()).isZero();
            for (String u : List.of("alice", "bob", "carol")) {
                String copy = Mailboxes.awaitOne(data, u, t2);
                assertThat(copy).doesNotContainPattern("(?mi)^Bcc:").contains("Return-Path: <alice@example.org>").contains("to three");
            }

            // s-nail with Mailwright as its MTA (what `mail bob` does on a host where Mailwright is the sendmail)
            String snail = Peers.require("s-nail", "s-nail");
            Path wrapper = dir.resolve("sendmail-wrapper");
            Files.writeString(wrapper, "#!/bin/sh\nexec " + EngineProcess.command(data.dir, "sendmail").stream()
                    .map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" ")) + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
            r = Peers.run(List.of("env", "HOME=" + dir, snail, "-:", "/", "-S", "mta=" + wrapper, "-S", "sendwait", "-s", t3, "bob@example.org"),
                    "sent by s-nail\n", 90);
            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(Mailboxes.awaitOne(data, "bob", t3)).contains("Subject: " + t3).contains("sent by s-nail");
        }

        // engine stopped: queued, and delivered when it starts
        String t4 = token();
        Peers.Result r = Peers.run(EngineProcess.command(data.dir, "sendmail", "carol@example.org"), "Subject: " + t4 + "\n\nlater\n", 60);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("queued as").contains("not running");
        Thread.sleep(200);
        assertThat(Mailboxes.containing(data, "carol", t4)).isEmpty();
        try (Engine engine = Engine.start(data.dir)) {
            Mailboxes.awaitOne(data, "carol", t4);
        }
    }

    @Test
    void printIdTellsTheQueueIdWhoseStoryTheMaillogHas() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org", "127.0.25.11").user("bob", "password-bob");
        String t = token();
        try (Engine engine = Engine.start(data.dir); var admin = new org.mailwright.admin.LocalAdmin(data.dir)) {
            Peers.Result r = Peers.run(EngineProcess.command(data.dir, "sendmail", "--print-id", "bob"), "Subject: " + t + "\n\nx\n", 60);
            assertThat(r.exit()).as(r.out()).isZero();
            String id = r.out().strip();
            assertThat(id).matches("[0-9a-f]{8,}");
            Mailboxes.awaitOne(data, "bob", t);
            await().atMost(java.time.Duration.ofSeconds(30)).until(() -> admin.messageLog(id, null)
                    .stream().anyMatch(l -> l.contains("result=Ok")));
        }
    }

    @Test
    void unknownLocalRecipientIsRefusedAndNothingQueued() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("alice", "password-alice");
        Peers.Result r = Peers.run(EngineProcess.command(data.dir, "sendmail", "nobody"), "Subject: x\n\nx\n", 60);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("nobody@example.org").contains("no such user");
        Path messages = data.dir.resolve("queue").resolve("messages");
        if (Files.isDirectory(messages)) {
            try (var s = Files.list(messages)) {
                assertThat(s.toList()).isEmpty();
            }
        }
    }

    // ---- A: hardening ------------------------------------------------------------------------------------------

    private static List<Path> queuedMessages(TestData data) throws Exception {
        Path messages = data.dir.resolve("queue").resolve("messages");
        if (!Files.isDirectory(messages)) return List.of();
        try (var s = Files.list(messages)) {
            return s.toList();
        }
    }

    @Test
    void controlCharactersInAddressesAreRefusedWithExit2AndNothingQueued() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("bob", "password-bob");
        for (List<String> args : List.of(
                List.of("-f", "alice@example.org\r\nRCPT TO:<carol@example.org>", "bob"),
                List.of("-f", "alice\n@example.org", "bob"),
                List.of("bob@example.org\r\nDATA"),
                List.of("bob\u0001@example.org"),
                List.of("-f", "a\u007f@example.org", "bob"))) {
            List<String> cmd = new java.util.ArrayList<>(EngineProcess.command(data.dir, "sendmail"));
            cmd.addAll(args);
            Peers.Result r = Peers.run(cmd, "Subject: x\n\nx\n", 60);
            assertThat(r.exit()).as(args + ": " + r.out()).isEqualTo(2);
            assertThat(r.out().strip().lines()).as(r.out()).hasSize(1);
            assertThat(r.out()).contains("control character").contains("nothing was queued");
        }
        assertThat(queuedMessages(data)).isEmpty();
    }

    @Test
    void nullSenderWithAngleBracketsOrEmpty() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("bob", "password-bob");
        String t1 = token();
        String t2 = token();
        // engine stopped: root writes the spool itself
        Peers.Result r = Peers.run(EngineProcess.command(data.dir, "sendmail", "-f", "<>", "bob"), "Subject: " + t1 + "\n\nx\n", 60);
        assertThat(r.exit()).as(r.out()).isZero();
        List<Path> queued = queuedMessages(data);
        assertThat(queued).hasSize(1);
        try (var envs = Files.list(queued.get(0))) {
            String env = Files.readString(envs.filter(p -> p.toString().endsWith(".env")).findFirst().orElseThrow());
            assertThat(env).contains("\"from\":\"\"");
        }
        try (Engine engine = Engine.start(data.dir)) {
            assertThat(Mailboxes.awaitOne(data, "bob", t1)).contains("Return-Path: <>").doesNotContain("@example.org>\nDelivered");
            // engine running: through the submission socket
            r = Peers.run(EngineProcess.command(data.dir, "sendmail", "-f", "", "bob"), "Subject: " + t2 + "\n\nx\n", 60);
            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(Mailboxes.awaitOne(data, "bob", t2)).contains("Return-Path: <>");
        }
    }

    /** A process whose stdin is fed from a thread (the process may stop reading early); output and exit status. */
    static Peers.Result feed(List<String> command, java.io.InputStream stdin, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread writer = new Thread(() -> {
            try (var out = p.getOutputStream(); stdin) {
                stdin.transferTo(out);
            } catch (java.io.IOException expected) {
                // the process stopped reading (broken pipe)
            }
        });
        writer.setDaemon(true);
        writer.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Peers.Result(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An endless line without a newline, counting what was read from it. */
    static final class EndlessLine extends java.io.InputStream {
        final java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();
        private final long limit;

        EndlessLine(long limit) {
            this.limit = limit;
        }

        @Override
        public int read() {
            return served.getAndIncrement() < limit ? 'x' : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long left = limit - served.get();
            if (left <= 0) return -1;
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            served.addAndGet(n);
            return n;
        }
    }

    @Test
    void sizeLimitIsEnforcedOnTheBytesReadEvenWithoutANewline() throws Exception {
        long max = 1024 * 1024;
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("bob", "password-bob");
        data.config(c -> TestData.withDelivery(c, new org.mailwright.config.Config.Delivery(c.delivery().format(), max)));
        long endless = 1L << 40; // 1 TiB on one line: only a reader that stops can answer
        for (boolean running : new boolean[] {false, true}) {
            Engine engine = running ? Engine.start(data.dir) : null;
            try {
                List<String> cmd = new java.util.ArrayList<>(EngineProcess.command(data.dir, "sendmail", "bob"));
                cmd.add(1, "-Xmx48m"); // far less than it is sent: the message is never held in memory
                EndlessLine in = new EndlessLine(endless);
                long t0 = System.nanoTime();
                Peers.Result r = feed(cmd, new java.io.SequenceInputStream(
                        new java.io.ByteArrayInputStream("Subject: big\n\n".getBytes()), in), 90);
                assertThat(r.exit()).as(r.out()).isEqualTo(1);
                assertThat(r.out()).contains("larger than max_message_size (" + max + " bytes)").contains("nothing was queued");
                assertThat(in.served.get()).as("bytes taken from stdin").isLessThan(64L * 1024 * 1024);
                System.out.printf("size limit (engine %s): refused after %d bytes read from stdin in %d ms%n",
                        running ? "running" : "stopped", in.served.get(), (System.nanoTime() - t0) / 1_000_000);
                assertThat(queuedMessages(data)).isEmpty();
            } finally {
                if (engine != null) engine.close();
            }
            try (var s = Files.list(data.dir.resolve("queue").resolve("incoming"))) {
                assertThat(s.toList()).as("nothing half-queued").isEmpty();
            }
        }
    }

    @Test
    void bareCrAndLfBecomeCrlfLinesAndADotAfterABareCrDoesNotEndTheMessage() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("bob", "password-bob");
        String t = token();
        String body = "Subject: " + t + "\rX-Bare: cr\n\nline1\rline2\r.\r\nline3\nline4\r\r\n.\rline5";
        Peers.Result r = Peers.run(EngineProcess.command(data.dir, "sendmail", "bob"), body, 60);
        assertThat(r.exit()).as(r.out()).isZero();
        List<Path> queued = queuedMessages(data);
        assertThat(queued).hasSize(1);
        String stored = Files.readString(queued.get(0).resolve("message"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(stored).endsWith("Subject: " + t + "\r\nX-Bare: cr\r\n\r\nline1\r\nline2\r\n.\r\nline3\r\nline4\r\n\r\n.\r\nline5\r\n");
        assertThat(stored.replace("\r\n", "")).as("no bare CR or LF left").doesNotContain("\r").doesNotContain("\n");
        // a line with a single dot (after LF) still ends the message without -i
        String t2 = token();
        r = Peers.run(EngineProcess.command(data.dir, "sendmail", "bob"), "Subject: " + t2 + "\n\nkept\n.\ndropped\n", 60);
        assertThat(r.exit()).as(r.out()).isZero();
        try (Engine engine = Engine.start(data.dir)) {
            assertThat(Mailboxes.awaitOne(data, "bob", t)).contains("line2\n.\nline3");
            assertThat(Mailboxes.awaitOne(data, "bob", t2)).contains("kept").doesNotContain("dropped");
        }
    }

    // ---- B: every local user, through the engine's submission socket --------------------------------------------

    /** The shaded jar, where {@code user} can read it (copied into the test directory when it cannot). */
    private String jarFor(String user) throws Exception {
        Path jar = Path.of("target", "mailwright.jar").toAbsolutePath();
        assertThat(jar).as("mvn package builds target/mailwright.jar before the tests").exists();
        if (Peers.run(List.of("runuser", "-u", user, "--", "test", "-r", jar.toString()), null, 30).exit() == 0) return jar.toString();
        Path copy = dir.resolve("jar").resolve("mailwright.jar");
        Files.createDirectories(copy.getParent());
        Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(copy.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        return copy.toString();
    }

    /** {@code mailwright --data DATA ARGS} from the real jar as Unix user {@code user}. */
    private static List<String> asUser(String user, String jar, Path data, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("runuser", "-u", user, "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", jar, "--data", data.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static java.nio.channels.SocketChannel connect(Path socket) throws Exception {
        java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        ch.connect(java.net.UnixDomainSocketAddress.of(socket));
        return ch;
    }

    @Test
    void everyLocalUserSendsThroughTheEngineAndOnlyPrivilegedUsersChooseTheSender() throws Exception {
        Peers.require("runuser", "util-linux");
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("bob", "password-bob");
        data.config(c -> c.withSubmission(c.submission().withSendAsAnyone(List.of("daemon"))));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x")); // the way to DATA, not a listing
        String jar = jarFor("nobody");
        String t1 = token();
        String t2 = token();
        String t3 = token();
        String t4 = token();
        try (Engine engine = Engine.start(data.dir)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.dir))).isEqualTo("rwx--x--x");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.dir.resolve("submit.sock")))).isEqualTo("rw-rw-rw-");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.dir.resolve("control.sock")))).isEqualTo("rw-------");
            // nothing else in DATA opens for other users: not the configuration, not the maillog, not the queue
            for (String p : List.of("mailwright.conf", "log/maillog", "passwd")) {
                assertThat(Peers.run(List.of("runuser", "-u", "nobody", "--", "cat", data.dir.resolve(p).toString()), null, 30).exit())
                        .as("nobody reads " + p).isNotZero();
            }
            assertThat(Peers.run(List.of("runuser", "-u", "nobody", "--", "ls", data.dir.toString()), null, 30).exit()).isNotZero();

            // nobody: -f is not honoured; the envelope sender is nobody@HOSTNAME, the Received: line names nobody
            Peers.Result r = Peers.run(asUser("nobody", jar, data.dir, "sendmail", "-f", "alice@example.org", "bob"),
                    "Subject: " + t1 + "\n\nfrom nobody\n", 90);
            assertThat(r.exit()).as(r.out()).isZero();
            String m = Mailboxes.awaitOne(data, "bob", t1);
            assertThat(m).contains("Return-Path: <nobody@mx.example.org>").containsPattern("(?m)^Received: from local user nobody\\b")
                    .containsPattern("(?m)^From: nobody@mx\\.example\\.org").contains("from nobody");

            // daemon is listed in [submission] send_as_anyone: its -f is honoured
            r = Peers.run(asUser("daemon", jar, data.dir, "sendmail", "-f", "alice@example.org", "bob"), "Subject: " + t2 + "\n\nx\n", 90);
            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(Mailboxes.awaitOne(data, "bob", t2)).contains("Return-Path: <alice@example.org>")
                    .containsPattern("(?m)^Received: from local user daemon\\b");

            // root: honoured, through the socket as well
            r = Peers.run(EngineProcess.command(data.dir, "sendmail", "-f", "carol@example.org", "bob"), "Subject: " + t3 + "\n\nx\n", 60);
            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(Mailboxes.awaitOne(data, "bob", t3)).contains("Return-Path: <carol@example.org>")
                    .containsPattern("(?m)^Received: from local user root\\b");

            // clients that connect and say nothing block neither `queue list` nor another user's sendmail
            try (var idleControl = connect(data.dir.resolve("control.sock")); var idleSubmit = connect(data.dir.resolve("submit.sock"))) {
                long t0 = System.nanoTime();
                assertThat(new org.mailwright.control.ControlClient(data.dir).list()).isNotNull();
                Peers.Result q = Peers.run(EngineProcess.command(data.dir, "queue", "list"), null, 60);
                assertThat(q.exit()).as(q.out()).isZero();
                System.out.printf("queue list with two idle clients connected: %d ms (CLI included)%n", (System.nanoTime() - t0) / 1_000_000);
                r = Peers.run(asUser("nobody", jar, data.dir, "sendmail", "bob"), "Subject: " + t4 + "\n\nx\n", 90);
                assertThat(r.exit()).as(r.out()).isZero();
                Mailboxes.awaitOne(data, "bob", t4);
            }
            assertThat(data.maillog()).containsPattern("proto=local.*user=nobody");
            // an unknown local user is refused by the engine, with its words
            r = Peers.run(asUser("nobody", jar, data.dir, "sendmail", "nosuchuser"), "Subject: x\n\nx\n", 90);
            assertThat(r.exit()).as(r.out()).isEqualTo(1);
            assertThat(r.out()).contains("nosuchuser@example.org").contains("no such user");
        }

        // engine stopped: nobody cannot queue; one line and EX_TEMPFAIL, nothing queued
        Peers.Result r = Peers.run(asUser("nobody", jar, data.dir, "sendmail", "bob"), "Subject: later\n\nx\n", 90);
        assertThat(r.exit()).as(r.out()).isEqualTo(75);
        assertThat(r.out().strip().lines()).as(r.out()).hasSize(1);
        assertThat(r.out()).contains("engine is not running");
        assertThat(queuedMessages(data)).isEmpty();
    }

    @Test
    void theEngineEnforcesTheSizeLimitItselfAndQueuesNothingForAClientThatGoesAway() throws Exception {
        long max = 256 * 1024;
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("bob", "password-bob");
        data.config(c -> TestData.withDelivery(c, new org.mailwright.config.Config.Delivery(c.delivery().format(), max)));
        try (Engine engine = Engine.start(data.dir)) {
            var client = new org.mailwright.control.ControlClient(data.dir);
            var request = new org.mailwright.control.LocalSubmission.Request(null, List.of("bob"), false, null);
            // a client that ignores the limit it was told: the engine stops reading and refuses
            Throwable refused = null;
            try (var s = client.submit(request).orElseThrow()) {
                assertThat(s.maxMessageSize()).isEqualTo(max);
                assertThat(s.sender()).isEqualTo("root@mx.example.org");
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'x');
                try {
                    for (int i = 0; i < 16 * 1024; i++) s.body().write(chunk); // 1 GiB, if the engine kept reading
                    s.finish();
                } catch (java.io.IOException e) {
                    refused = s.refusalOr(e);
                }
            } catch (java.io.IOException e) {
                refused = e;
            }
            assertThat(refused).as("the engine refused the message").isNotNull();
            assertThat(refused.getMessage()).contains("larger than max_message_size (" + max + " bytes)");
            System.out.println("engine-side size limit: " + refused.getMessage());
            // a client that goes away in the middle of its message: nothing is queued
            try (var s = client.submit(request).orElseThrow()) {
                s.body().write("Subject: half\r\n\r\nhalf a mess".getBytes());
                s.body().flush();
            }
            Thread.sleep(500);
            assertThat(queuedMessages(data)).isEmpty();
            assertThat(data.delivered("bob")).isEmpty();
        }
    }

    @Test
    void aLargeMessageStreamsThroughTheSocketWithoutBeingHeldInMemory() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("bob", "password-bob");
        long max = data.config().delivery().maxMessageSize();
        long size = Math.min(max - 1024 * 1024, 20L * 1024 * 1024);
        String t = token();
        try (Engine engine = Engine.start(data.dir)) {
            List<String> cmd = new java.util.ArrayList<>(EngineProcess.command(data.dir, "sendmail", "bob"));
            cmd.add(1, "-Xmx32m"); // less than the message
            byte[] line = ("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklm\n").getBytes();
            java.io.InputStream body = new java.io.InputStream() {
                long left = size;
                int pos;

                @Override
                public int read() {
                    if (left <= 0) return -1;
                    left--;
                    int c = line[pos];
                    pos = (pos + 1) % line.length;
                    return c;
                }
            };
            long t0 = System.nanoTime();
            Peers.Result r = feed(cmd, new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(("Subject: " + t + "\n\n").getBytes()),
                    new java.io.BufferedInputStream(body, 65536)), 180);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.exit()).as(r.out()).isZero();
            Path delivered = await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (Path p : data.delivered("bob")) if (Files.size(p) > size) return p;
                return null;
            }, java.util.Objects::nonNull);
            System.out.printf("%d MB through submit.sock (client -Xmx32m): sendmail exited after %d ms; delivered %d bytes%n",
                    size >> 20, ms, Files.size(delivered));
        }
    }

    @Test
    void aLoneDotLineEndsTheInputUnlessDashI() throws Exception {
        java.util.function.BiFunction<String, Boolean, String> read = (in, ignore) -> {
            try {
                return new String(new SendmailCommand.DotInput(new java.io.ByteArrayInputStream(in.getBytes()), ignore).readAllBytes());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        };
        assertThat(read.apply("a\n.\nb\n", false)).isEqualTo("a\n");
        assertThat(read.apply("a\r\n.\r\nb\n", false)).isEqualTo("a\r\n");
        assertThat(read.apply(".\n", false)).isEmpty();
        assertThat(read.apply("a\n.", false)).isEqualTo("a\n");
        assertThat(read.apply("a\n..\n.x\n.\rb\n", false)).isEqualTo("a\n..\n.x\n.\rb\n");
        assertThat(read.apply("a\r.\r\nb\n", false)).as("a bare CR does not start a line here").isEqualTo("a\r.\r\nb\n");
        assertThat(read.apply("a\n.\nb\n", true)).isEqualTo("a\n.\nb\n");
    }
}
