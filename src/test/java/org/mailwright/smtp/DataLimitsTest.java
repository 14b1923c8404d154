package org.mailwright.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.testing.TestData;

/** DATA when things go wrong on our side (a full disk) or the client's (a sender that trickles). */
class DataLimitsTest {
    static final String PASSWORD = "correct horse battery";

    @TempDir Path dir;

    @Test
    void aFullDiskDuringDataDrainsToTheTerminatorThen451AndNothingIsRunAsACommand() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("bob", PASSWORD)
                .config(c -> TestData.withDelivery(c, new Config.Delivery(Config.DeliveryFormat.MAILDIR, 8L << 20)));
        Path queue = data.dir.resolve("queue");
        Files.createDirectories(queue);
        run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", queue.toString());
        try (Engine engine = Engine.start(data.dir)) {
            StringBuilder body = new StringBuilder("Subject: big\r\n\r\n");
            // the commands a client would have pipelined, were any of the data taken for commands
            String hidden = "RSET\r\nMAIL FROM:<forged@evil.test>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\nQUIT\r\n";
            while (body.length() < 600 * 1024) body.append("filler filler filler filler filler filler\r\n").append(hidden);
            try (SmtpClient c = SmtpClient.connect(data.smtp)) {
                c.ehlo();
                assertThat(c.cmd("MAIL FROM:<alice@example.org>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<bob@example.org>")).startsWith("250");
                assertThat(c.cmd("DATA")).startsWith("354");
                c.send(body + ".\r\n");
                assertThat(c.reply()).startsWith("451 4.3.0");
                assertThat(c.cmd("NOOP")).startsWith("250"); // one reply for the data, then in step
                // the spool recovers: what was half written is gone, a small message fits again
                try (Stream<Path> s = Files.list(queue.resolve("incoming"))) {
                    assertThat(s.toList()).isEmpty();
                }
                String token = ProtocolTest.token();
                assertThat(c.send("alice@example.org", List.of("bob@example.org"), "Subject: " + token + "\r\n\r\nsmall\r\n"))
                        .startsWith("250");
                Mailboxes.awaitOne(data, "bob", token);
            }
            assertThat(data.maillog()).contains("spool-error").doesNotContain("from=<forged@evil.test>");
        } finally {
            run("umount", queue.toString());
        }
    }

    @Test
    void aSenderThatTricklesIsCutOffAndOneThatKeepsUpIsNot() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("bob", PASSWORD)
                .config(c -> TestData.withLimits(c, TestData.limits(100, 20, Duration.ofSeconds(2), 3, 10, Duration.ofMinutes(5))));
        try (Engine engine = Engine.start(data.dir)) {
            try (SmtpClient c = SmtpClient.connect(data.smtp)) {
                c.ehlo();
                assertThat(c.cmd("MAIL FROM:<alice@example.org>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<bob@example.org>")).startsWith("250");
                assertThat(c.cmd("DATA")).startsWith("354");
                long start = System.nanoTime();
                Thread slowloris = new Thread(() -> {
                    try {
                        for (int i = 0; i < 20; i++) {
                            c.send("x"); // one byte a second: never idle for 2 s, far below 500 bytes/s
                            Thread.sleep(1000);
                        }
                    } catch (IOException | InterruptedException e) {
                        // the server closed the connection: what this test waits for
                    }
                });
                slowloris.start();
                String reply = c.reply();
                long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
                slowloris.interrupt();
                assertThat(reply).startsWith("421 4.4.2");
                assertThat(seconds).isLessThan(6);
                assertThat(c.reply()).isNull();
            }
            String token = ProtocolTest.token();
            try (SmtpClient c = SmtpClient.connect(data.smtp)) {
                c.ehlo();
                assertThat(c.cmd("MAIL FROM:<alice@example.org>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<bob@example.org>")).startsWith("250");
                assertThat(c.cmd("DATA")).startsWith("354");
                c.send("Subject: " + token + "\r\n\r\n");
                for (int i = 0; i < 4; i++) {
                    c.send(("y".repeat(78) + "\r\n").repeat(25)); // 2 KB a second, with 1 s pauses
                    Thread.sleep(1000);
                }
                c.send(".\r\n");
                assertThat(c.reply()).startsWith("250");
            }
            Mailboxes.awaitOne(data, "bob", token);
        }
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed (this test needs root to mount a small tmpfs): " + out);
        }
    }
}
