package org.mailwright.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.config.Config;
import org.mailwright.queue.EngineProcess;
import org.mailwright.testing.TestData;

/**
 * Memory per session is bounded whatever a client sends: 200 concurrent sessions each sending a 2 MiB
 * header line to an engine with a 64 MiB heap (the benchmark's, smaller than any shipped default). The
 * heap in use while all 200 are half-way through their line is measured after a full GC and printed.
 */
class SessionMemoryTest {
    static final int SESSIONS = 200;
    static final int LINE = 2 * 1024 * 1024;

    @TempDir Path dir;

    @Test
    void twoHundredSessionsWithA2MibHeaderLineFitInA64MibHeap() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("bob", "correct horse battery")
                .config(c -> TestData.withDelivery(c, new Config.Delivery(Config.DeliveryFormat.MAILDIR, 8L << 20)))
                .config(c -> TestData.withLimits(c, TestData.limits(SESSIONS + 50, SESSIONS + 50, Duration.ofMinutes(2), 3, 10, Duration.ofMinutes(5))));
        List<String> cmd = EngineProcess.command(data.dir, "serve");
        cmd.add(1, "-Xmx64m");
        try (EngineProcess engine = EngineProcess.start(data.dir, data.smtp, cmd)) {
            long before = heapUsedAfterGc(engine.process.pid());
            CyclicBarrier halfway = new CyclicBarrier(SESSIONS + 1);
            CyclicBarrier measured = new CyclicBarrier(SESSIONS + 1);
            ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
            List<Future<String>> replies = new ArrayList<>();
            byte[] half = "h".repeat(LINE / 2).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < SESSIONS; i++) {
                replies.add(pool.submit(() -> {
                    try (SmtpClient c = SmtpClient.connect(data.smtp)) {
                        c.ehlo();
                        c.cmd("MAIL FROM:<someone@other.test>");
                        c.cmd("RCPT TO:<bob@example.org>");
                        c.cmd("DATA");
                        c.send("X-Long: ");
                        c.sendBytes(half);
                        halfway.await(60, TimeUnit.SECONDS);
                        measured.await(60, TimeUnit.SECONDS);
                        c.sendBytes(half);
                        c.send("\r\n\r\nbody\r\n.\r\n");
                        return c.reply();
                    }
                }));
            }
            halfway.await(120, TimeUnit.SECONDS);
            Thread.sleep(500); // let the engine read what is in its socket buffers
            long during = heapUsedAfterGc(engine.process.pid());
            measured.await(60, TimeUnit.SECONDS);
            for (Future<String> r : replies) assertThat(r.get(120, TimeUnit.SECONDS)).startsWith("554 5.6.0");
            pool.shutdown();
            long perSession = (during - before) / SESSIONS;
            System.out.printf("heap after GC: %d KiB idle, %d KiB with %d sessions mid-line: %d KiB per session%n",
                    before / 1024, during / 1024, SESSIONS, perSession / 1024);
            assertThat(perSession).as("heap per session").isLessThan(256 * 1024);
            assertThat(engine.process.isAlive()).isTrue();
            assertThat(engine.output()).doesNotContain("OutOfMemoryError");
            try (SmtpClient c = SmtpClient.connect(data.smtp)) {
                c.ehlo();
                assertThat(c.send("someone@other.test", List.of("bob@example.org"), "Subject: after\r\n\r\nstill here\r\n"))
                        .startsWith("250");
            }
        }
    }

    /** The engine's heap in use after a full GC, from {@code jcmd}. */
    static long heapUsedAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        // Serial GC: one line per generation ("def new generation total …K, used …K"); Metaspace is not heap
        Matcher m = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K").matcher(info);
        long used = 0;
        int generations = 0;
        while (m.find()) {
            used += Long.parseLong(m.group(1)) * 1024;
            generations++;
        }
        if (generations == 0) throw new AssertionError("no heap figure in jcmd's answer: " + info);
        return used;
    }

    static String jcmd(long pid, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid), what)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new AssertionError("jcmd " + what + " failed: " + out);
        return out;
    }
}
