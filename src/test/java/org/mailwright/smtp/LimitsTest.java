package org.mailwright.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.testing.TestData;

/**
 * Issue 11: limits that hold, and recover. Real clients on sockets; each limit is driven past its edge many
 * times and then shown to admit exactly as many sessions as configured again (a leaked count would admit fewer).
 */
class LimitsTest {
    static final String PASSWORD = "correct horse battery";
    static final int MAX_CONNECTIONS = 5;
    static final int PER_IP = 3;

    @TempDir static Path dir;
    static TestData data;
    static Engine engine;

    @BeforeAll
    static void start() throws Exception {
        data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("alice", PASSWORD)
                .config(c -> TestData.withLimits(c, TestData.limits(MAX_CONNECTIONS, PER_IP, Duration.ofMinutes(1), 3, 10, Duration.ofMinutes(15))));
        engine = Engine.start(data.dir);
    }

    @AfterAll
    static void stop() throws IOException {
        if (engine != null) engine.close();
    }

    static String token() {
        return "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Opens one session from each address: all must be greeted with 220, and one more must be refused with 421. */
    static void admitsExactly(int port, List<String> from, String next, String refusal) throws IOException {
        List<SmtpClient> open = new ArrayList<>();
        try {
            for (String a : from) {
                SmtpClient c = SmtpClient.connectFrom(a, port);
                open.add(c);
                assertThat(c.greeting).as("session %d of %d", open.size(), from.size()).startsWith("220 ");
            }
            try (SmtpClient over = SmtpClient.connectFrom(next, port)) {
                assertThat(over.greeting).startsWith(refusal);
                assertThat(over.reply()).as("closed after the refusal").isNull();
            }
        } finally {
            for (SmtpClient c : open) c.close();
        }
    }

    static List<String> times(String address, int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(address);
        return l;
    }

    /** A session that says QUIT and waits for the server to close: then its count is back (Commands.close). */
    static void quickSession(String from, int port) throws IOException {
        try (SmtpClient c = SmtpClient.connectFrom(from, port)) {
            assertThat(c.greeting).startsWith("220 ");
            quit(c);
        }
    }

    static void quit(SmtpClient c) throws IOException {
        try (c) {
            assertThat(c.cmd("QUIT")).startsWith("221");
            assertThat(c.reply()).isNull();
        }
    }

    /** A client that opens a connection and hangs up without a word. */
    static void hangUp(String from, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        }
    }

    /** Plain text to the implicit-TLS port: the handshake fails before any greeting. */
    static void failedTlsHandshake(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("EHLO not-tls.test\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            while (in.read() != -1) {
                // until the server closes
            }
        } catch (IOException e) {
            // a reset is as good as a close here
        }
    }

    @Test
    void perAddressLimitCountsLiveSessionsOnly() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                admitsExactly(data.smtp, times("127.0.0.1", PER_IP), "127.0.0.1", "421 4.7.0 mx.example.org Too many connections from your address"));

        // refusals while the address is at its limit: each must give its count back (it did not: issue 11)
        List<SmtpClient> held = new ArrayList<>();
        for (int i = 0; i < PER_IP; i++) held.add(SmtpClient.connect(data.smtp));
        for (int i = 0; i < 150; i++) {
            try (SmtpClient c = SmtpClient.connect(data.smtp)) {
                assertThat(c.greeting).startsWith("421 4.7.0");
            }
        }
        for (SmtpClient c : held) quit(c);
        // and hundreds of ordinary short sessions, hang-ups and failed TLS handshakes on the implicit-TLS port
        for (int i = 0; i < 300; i++) quickSession("127.0.0.1", data.smtp);
        for (int i = 0; i < 100; i++) hangUp("127.0.0.1", data.smtp);
        for (int i = 0; i < 60; i++) failedTlsHandshake(data.smtps);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                admitsExactly(data.smtp, times("127.0.0.1", PER_IP), "127.0.0.1", "421 4.7.0"));
        // the implicit-TLS listener's refusals were counted back too: a TLS client is served there
        try (SmtpClient tls = SmtpClient.connectTls(data.smtps)) {
            assertThat(tls.greeting).startsWith("220 ");
        }
        assertThat(data.maillog()).contains("reason=\"too many connections from this address\"").contains("tls-failed");
    }

    @Test
    void listenerLimitCountsLiveSessionsOnly() throws Exception {
        List<String> five = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                admitsExactly(data.smtp, five, "127.0.0.7", "421 4.7.0 mx.example.org Too many connections; try again later"));

        // at the limit, a burst of clients at once: all refused, whichever path (ours, or SubEthaSMTP's backstop)
        List<SmtpClient> held = new ArrayList<>();
        for (String a : five) held.add(SmtpClient.connectFrom(a, data.smtp));
        ExecutorService pool = Executors.newFixedThreadPool(30);
        try {
            List<Future<String>> greetings = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                String from = "127.0.1." + (1 + i % 60);
                greetings.add(pool.submit(() -> {
                    try (SmtpClient c = SmtpClient.connectFrom(from, data.smtp)) {
                        return c.greeting;
                    }
                }));
            }
            for (Future<String> g : greetings) assertThat(g.get(30, TimeUnit.SECONDS)).startsWith("421");
        } finally {
            pool.shutdownNow();
            for (SmtpClient c : held) quit(c);
        }
        for (int i = 0; i < 300; i++) quickSession("127.0.2." + (1 + i % 100), data.smtp);
        for (int i = 0; i < 100; i++) hangUp("127.0.3." + (1 + i % 100), data.smtp);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> admitsExactly(data.smtp, five, "127.0.0.7", "421 4.7.0"));
        assertThat(data.maillog()).contains("reason=\"too many connections\"");
    }

    @Test
    void errorsPastTheSoftLimitAreSlowAndPastTheHardLimitCloseTheSession() throws Exception {
        String t = token();
        List<Long> millis = new ArrayList<>();
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<x@elsewhere.test>")).startsWith("250");
            String last = null;
            for (int i = 1; i <= 21; i++) {
                long start = System.nanoTime();
                last = c.cmd("RCPT TO:<nobody-" + t + "-" + i + "@example.org>");
                millis.add((System.nanoTime() - start) / 1_000_000);
                if (i <= 20) assertThat(last).as("RCPT %d", i).startsWith("550 5.1.1");
            }
            assertThat(last).startsWith("421 4.7.0 mx.example.org Too many errors; closing");
            assertThat(c.reply()).as("closed").isNull();
            try {
                for (int i = 22; i <= 25; i++) c.send("RCPT TO:<nobody-" + t + "-" + i + "@example.org>\r\n");
            } catch (IOException closed) {
                // expected sooner or later: the server has gone
            }
        }
        assertThat(millis.subList(0, 10)).allMatch(ms -> ms < 900, "the first 10 errors are answered at once");
        assertThat(millis.subList(10, 20)).allMatch(ms -> ms >= 1000, "errors 11 to 20 wait at least 1 s");
        assertThat(millis.get(20)).isLessThan(900);
        Thread.sleep(500);
        List<String> lines = data.maillog().lines().filter(l -> l.contains(t)).toList();
        assertThat(lines.stream().filter(l -> l.contains("failed-command"))).hasSize(20);
        assertThat(lines.stream().filter(l -> l.contains("too-many-errors"))).hasSize(1);
        assertThat(lines).hasSize(21).noneMatch(l -> l.contains("-22@") || l.contains("-25@"));
    }

    /** Point 4 of issue 11: parallel wrong passwords from one address cannot get more checks than the lockout allows. */
    @Test
    void parallelAuthGuessesGetAtMostTheLimitOfChecks(@TempDir Path other) throws Exception {
        int lockoutAfter = 10;
        int clients = 20;
        TestData d = new TestData(other.resolve("data"), "mx.example.net", "example.net").user("dave", PASSWORD)
                .config(c -> TestData.withLimits(c, TestData.limits(100, 50, Duration.ofMinutes(1), 3, lockoutAfter, Duration.ofMinutes(15))));
        try (Engine e = Engine.start(d.dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            CountDownLatch ready = new CountDownLatch(clients);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> replies = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    replies.add(pool.submit(() -> {
                        try (SmtpClient c = SmtpClient.connect(d.submission)) {
                            c.ehlo();
                            assertThat(c.startTls()).startsWith("220");
                            c.ehlo();
                            ready.countDown();
                            go.await();
                            return c.authPlain("dave", "wrong-" + UUID.randomUUID());
                        } finally {
                            ready.countDown();
                        }
                    }));
                }
                assertThat(ready.await(60, TimeUnit.SECONDS)).isTrue();
                go.countDown();
                List<String> got = new ArrayList<>();
                for (Future<String> r : replies) got.add(r.get(90, TimeUnit.SECONDS));
                long invalid = got.stream().filter(r -> r.startsWith("535 5.7.8")).count();
                long locked = got.stream().filter(r -> r.startsWith("454 4.7.0")).count();
                System.out.println("parallel AUTH: " + invalid + " x 535, " + locked + " x 454 of " + clients);
                assertThat(invalid + locked).as(String.join("\n", got)).isEqualTo(clients);
                assertThat(invalid).isBetween(1L, (long) lockoutAfter);
                long checked = d.maillog().lines().filter(l -> l.contains(" authentication ") && l.contains("result=fail")).count();
                assertThat(checked).isEqualTo(invalid).isLessThanOrEqualTo(lockoutAfter);
            } finally {
                pool.shutdownNow();
            }
            // and the address is locked now, even with the right password
            try (SmtpClient c = SmtpClient.connect(d.submission)) {
                c.ehlo();
                c.startTls();
                c.ehlo();
                String r = c.authPlain("dave", PASSWORD);
                assertThat(r).startsWith("454 4.7.0");
            }
        }
    }

    /** Failures are remembered for auth_lockout after the last one (AuthThrottle), then forgotten. */
    @Test
    void authFailuresAgeOut(@TempDir Path other) throws Exception {
        TestData d = new TestData(other.resolve("data"), "mx.example.net", "example.net").user("dave", PASSWORD)
                .config(c -> TestData.withLimits(c, TestData.limits(100, 20, Duration.ofMinutes(1), 5, 2, Duration.ofSeconds(2))));
        try (Engine e = Engine.start(d.dir)) {
            assertThat(auth(d, "wrong")).startsWith("535 5.7.8");
            assertThat(auth(d, "wrong")).startsWith("535 5.7.8");
            assertThat(auth(d, PASSWORD)).startsWith("454 4.7.0");
            Thread.sleep(2500);
            assertThat(auth(d, PASSWORD)).startsWith("235 2.7.0");
            // success cleared the count: two more failures are needed for a lockout
            assertThat(auth(d, "wrong")).startsWith("535 5.7.8");
            assertThat(auth(d, PASSWORD)).startsWith("235 2.7.0");
        }
    }

    static String auth(TestData d, String password) throws IOException {
        try (SmtpClient c = SmtpClient.connect(d.submission)) {
            c.ehlo();
            c.startTls();
            c.ehlo();
            return c.authPlain("dave", password);
        }
    }

    @Test
    void sessionTimeoutClosesEvenABusySessionAndIdleTimeoutAtItsMaximumWorks(@TempDir Path other) throws Exception {
        TestData d = new TestData(other.resolve("data"), "mx.example.net", "example.net")
                .config(c -> TestData.withLimits(c, TestData.limits(100, 2, Duration.ofHours(1), 3, 10, Duration.ofMinutes(15))
                        .withSessionTimeout(Duration.ofSeconds(3))));
        try (Engine e = Engine.start(d.dir)) {
            long start = System.nanoTime();
            try (SmtpClient busy = SmtpClient.connect(d.smtp); SmtpClient idle = SmtpClient.connect(d.smtp)) {
                assertThat(busy.greeting).startsWith("220 ");
                assertThat(idle.greeting).startsWith("220 ");
                assertThat(idle.ehlo()).startsWith("250");
                String r = busy.ehlo();
                while (r != null && r.startsWith("250") && System.nanoTime() - start < 15_000_000_000L) {
                    Thread.sleep(200);
                    r = busy.cmd("NOOP");
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(r).startsWith("421 4.4.2 mx.example.net Session time limit exceeded; closing");
                assertThat(ms).isBetween(2500L, 10_000L);
                assertThat(busy.reply()).isNull();
                // the idle one is told without asking, and closed
                assertThat(idle.reply()).startsWith("421 4.4.2");
                assertThat(idle.reply()).isNull();
            }
            // the listener lives (idle_timeout = 1h did not overflow) and both counts came back
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    admitsExactly(d.smtp, times("127.0.0.1", 2), "127.0.0.1", "421 4.7.0"));
            try (SmtpClient c = SmtpClient.connect(d.smtp)) {
                assertThat(c.ehlo()).startsWith("250");
                assertThat(c.cmd("QUIT")).startsWith("221");
            }
            assertThat(d.maillog()).contains("session-timeout");
        }
    }

    @Test
    void unknownVerbsAre500AndCountAsErrors(@TempDir Path other) throws Exception {
        TestData d = new TestData(other.resolve("data"), "mx.example.net", "example.net")
                .config(c -> TestData.withLimits(c, c.limits().withErrorLimits(1, 2)));
        try (Engine e = Engine.start(d.dir)) {
            try (SmtpClient c = SmtpClient.connect(d.smtp)) {
                c.ehlo();
                assertThat(c.cmd("HELP")).startsWith("214"); // known verbs still reach their commands
                assertThat(c.startTls()).startsWith("220 2.0.0");
            }
            try (SmtpClient c = SmtpClient.connect(d.smtp)) {
                c.ehlo();
                assertThat(c.cmd("XYZZY")).isEqualTo("500 5.5.2 Command unrecognized");
                long start = System.nanoTime();
                assertThat(c.cmd("STARTTLSX now")).isEqualTo("500 5.5.2 Command unrecognized");
                assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
                assertThat(c.cmd("NOOP")).startsWith("250");
                assertThat(c.cmd("BOGUS")).startsWith("421 4.7.0");
                assertThat(c.reply()).isNull();
            }
        }
    }
}
