package org.mailwright.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.config.Config;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.TestData;

/**
 * kill -9 in the middle of a load: every message that got 250 is in its mailbox exactly once after a restart,
 * nothing is left half-queued, and an mbox still parses (docs/ARCHITECTURE.md, "The spool": a 250 after DATA means the message is on disk).
 */
class CrashTest {
    static final int CLIENTS = 6;
    static final int MESSAGES = 300;
    static final int KILL_AFTER = 120;
    static final List<String> USERS = List.of("ann", "ben", "cat", "dan");
    static final Pattern ID = Pattern.compile("(?m)^X-Test-Id: (\\S+)$");

    @TempDir Path dir;

    @Test
    void maildirLosesNothingAndDuplicatesNothing() throws Exception {
        TestData data = data(Config.DeliveryFormat.MAILDIR);
        Map<String, List<String>> acked = loadAndKill(data);
        try (EngineProcess again = EngineProcess.start(data.dir, data.smtp)) {
            awaitQueueEmpty(data);
            Map<String, Map<String, Integer>> seen = new HashMap<>();
            for (String u : USERS) {
                for (Path f : data.delivered(u)) {
                    String m = Files.readString(f, StandardCharsets.ISO_8859_1);
                    assertThat(m).as(f.toString()).contains("End-Of-Test");
                    count(seen, u, m);
                }
            }
            check(acked, seen);
            try (Stream<Path> tmp = Stream.of(USERS.toArray(String[]::new)).map(u -> data.dir.resolve("mail").resolve(u).resolve("tmp"))) {
                for (Path t : tmp.toList()) assertThat(listOrEmpty(t)).as("leftovers in " + t).isEmpty();
            }
        }
    }

    @Test
    void mboxLosesNothingAndParses() throws Exception {
        TestData data = data(Config.DeliveryFormat.MBOX);
        Map<String, List<String>> acked = loadAndKill(data);
        try (EngineProcess again = EngineProcess.start(data.dir, data.smtp)) {
            awaitQueueEmpty(data);
            Map<String, Map<String, Integer>> seen = new HashMap<>();
            for (String u : USERS) {
                Path box = data.dir.resolve("mbox").resolve(u);
                if (!Files.exists(box)) continue;
                String text = Files.readString(box, StandardCharsets.ISO_8859_1);
                assertThat(text).startsWith("From ");
                assertThat(text).endsWith("\n\n");
                // mbox: a message starts at a "From " line at the start of the file or after a blank line
                for (String m : text.split("\n\n(?=From )")) {
                    assertThat(m).as("a whole message in " + box).startsWith("From ").contains("End-Of-Test");
                    count(seen, u, m);
                }
            }
            check(acked, seen);
        }
    }

    private TestData data(Config.DeliveryFormat format) throws IOException {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org")
                .config(c -> TestData.withDelivery(c, new Config.Delivery(format, 1_000_000)))
                .config(c -> TestData.withLimits(c, TestData.limits(100, 50, Duration.ofMinutes(1), 3, 10, Duration.ofMinutes(5))));
        for (String u : USERS) data.user(u, "password-" + u);
        return data;
    }

    /** Sends from several clients, SIGKILLs the engine once KILL_AFTER messages were acknowledged; returns id → users. */
    private Map<String, List<String>> loadAndKill(TestData data) throws Exception {
        Map<String, List<String>> acked = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        EngineProcess engine = EngineProcess.start(data.dir, data.smtp);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        String filler = "The quick brown fox jumps over the lazy dog; From here on, a line that mbox must quote.\n".repeat(20);
        for (int c = 0; c < CLIENTS; c++) {
            pool.submit(() -> {
                try (SmtpClient client = SmtpClient.connect(data.smtp)) {
                    client.ehlo();
                    for (int n; (n = next.getAndIncrement()) < MESSAGES; ) {
                        String id = UUID.randomUUID().toString();
                        List<String> to = n % 5 == 0 ? List.of(USERS.get(n % 4), USERS.get((n + 1) % 4)) : List.of(USERS.get(n % 4));
                        String msg = "X-Test-Id: " + id + "\nSubject: crash " + n + "\n\n" + "From the start\n" + filler
                                + "End-Of-Test " + id + "\n";
                        String r = client.send("sender@elsewhere.test", to.stream().map(u -> u + "@example.org").toList(), msg);
                        if (r == null) return null;
                        if (r.startsWith("250")) acked.put(id, to);
                    }
                } catch (IOException expected) {
                    // the engine was killed under us
                }
                return null;
            });
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(5)).until(() -> acked.size() >= KILL_AFTER);
        int status = engine.kill9();
        assertThat(status).as("SIGKILL, not a clean stop").isEqualTo(128 + 9);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.output()).doesNotContain("stopped");
        // the crash happened while mail was still coming in
        assertThat(acked.size()).isLessThan(MESSAGES);
        return acked;
    }

    private static void awaitQueueEmpty(TestData data) throws IOException {
        Path messages = data.dir.resolve("queue").resolve("messages");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> listOrEmpty(messages).isEmpty());
        assertThat(listOrEmpty(data.dir.resolve("queue").resolve("incoming"))).as("queue/incoming leftovers").isEmpty();
    }

    private static void count(Map<String, Map<String, Integer>> seen, String user, String message) {
        Matcher m = ID.matcher(message);
        assertThat(m.find()).as("X-Test-Id in a delivered message").isTrue();
        seen.computeIfAbsent(m.group(1), k -> new HashMap<>()).merge(user, 1, Integer::sum);
    }

    private static void check(Map<String, List<String>> acked, Map<String, Map<String, Integer>> seen) {
        List<String> problems = new ArrayList<>();
        acked.forEach((id, users) -> {
            for (String u : users) {
                int n = seen.getOrDefault(id, Map.of()).getOrDefault(u, 0);
                if (n != 1) problems.add(id + " for " + u + " delivered " + n + " times");
            }
        });
        seen.forEach((id, byUser) -> byUser.forEach((u, n) -> {
            if (n > 1) problems.add(id + " for " + u + " (not acknowledged) delivered " + n + " times");
        }));
        assertThat(problems).as(acked.size() + " acknowledged").isEmpty();
    }

    static List<Path> listOrEmpty(Path d) throws IOException {
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }
}
