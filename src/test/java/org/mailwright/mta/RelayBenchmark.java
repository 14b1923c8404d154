package org.mailwright.mta;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.Spool;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import org.mailwright.testing.TestDns;

/**
 * Relay throughput, side by side with Postfix (not a timed test; run by hand, see the mta note):
 * N messages of 2 KB for one remote domain whose MX is Postfix's smtp-sink. Mailwright: the spool is filled while
 * the engine is stopped, then the engine starts and the clock runs until the queue is empty. Postfix: the same
 * load is queued (deferred) through its smtpd, then flushed to the same sink and timed until its queue is empty.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) org.mailwright.mta.RelayBenchmark 10000</pre>
 */
public final class RelayBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path tmp = Files.createTempDirectory("mailwright-bench");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        int sinkPort = TestData.freePort();
        Process sink = new ProcessBuilder(Peers.require("smtp-sink", "postfix"), "-u", "nobody",
                "127.0.3.20:" + sinkPort, "256").redirectErrorStream(true).redirectOutput(tmp.resolve("sink.log").toFile()).start();
        // Real zones have TTLs: with dnsmasq's default of 0 every message would wait for three lookups.
        TestDns dns = TestDns.start(tmp.resolve("dns"), "127.0.3.20", TestDns.zone().local("test").ttl(300).mx("bench.test", "mx.bench.test", 10).host("mx.bench.test", "127.0.3.20"));
        byte[] body = body();
        try {
            // Mailwright
            TestData data = new TestData(tmp.resolve("mw"), "mail.src.test", "src.test", "127.0.3.21");
            data.config(c -> TestData.withOutbound(c, new Config.Outbound(dns.resolver(), sinkPort, Config.OutboundTls.OPPORTUNISTIC, "", "", "")));
            Spool spool = new Spool(data.dir);
            for (int i = 0; i < n; i++) {
                try (Spool.Incoming in = spool.receive()) {
                    OutputStream out = in.stream();
                    out.write(("Message-ID: <" + i + "@src.test>\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    in.commit("bench@src.test", List.of(new Spool.Recipient("user" + (i % 50) + "@bench.test", "", Envelope.Action.RELAY)), Instant.now());
                }
            }
            long t0 = System.nanoTime();
            double mwSeconds;
            try (Engine engine = Engine.start(data.dir)) {
                while (!engine.scheduler().list().isEmpty()) Thread.sleep(20);
                mwSeconds = (System.nanoTime() - t0) / 1e9;
            }
            long mwConnections = data.maillog().lines().filter(l -> l.contains(" mta connected ")).count();
            List<String> okLines = data.maillog().lines().filter(l -> l.contains(" mta delivery ") && l.contains("result=Ok")).toList();
            long mwOk = okLines.size();
            // The delivery window alone (first to last result=Ok), without the engine's start and spool recovery.
            double mwWindow = Duration.between(Instant.parse(okLines.get(0).split(" ")[0]),
                    Instant.parse(okLines.get(okLines.size() - 1).split(" ")[0])).toMillis() / 1000.0;

            // Postfix, relaying the same load to the same sink
            int pfPort = TestData.freePort();
            PostfixPeer postfix = new PostfixPeer(tmp.resolve("pf"), "127.0.3.22", pfPort, "mail.pf.test", List.of("pf.test"), Map.of(),
                    List.of("mynetworks = 127.0.0.0/8", "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
                            "relayhost = [127.0.3.20]:" + sinkPort, "defer_transports = smtp", "smtp_tls_security_level = may"));
            postfix.start();
            try {
                Peers.Result src = Peers.run(List.of(Peers.require("smtp-source", "postfix"), "-s", "10", "-m", String.valueOf(n),
                        "-l", "2048", "-f", "bench@src.test", "-t", "user@bench.test", "127.0.3.22:" + pfPort), null, 3600);
                if (src.exit() != 0) throw new AssertionError("smtp-source: " + src.out());
                while (queued(postfix) < n) Thread.sleep(200);
                postfix.command("postconf", "-e", "defer_transports =");
                postfix.command("postfix", "reload");
                long t1 = System.nanoTime();
                postfix.command("postqueue", "-f");
                while (queued(postfix) > 0) Thread.sleep(50);
                double pfSeconds = (System.nanoTime() - t1) / 1e9;
                long pfSent = postfix.log().lines().filter(l -> l.contains("relay=127.0.3.20[127.0.3.20]") && l.contains("status=sent")).count();
                long pfReused = postfix.log().lines().filter(l -> l.contains("status=sent") && l.contains("conn_use=")).count();

                System.out.printf("messages: %d of 2 KB to one domain (MX: smtp-sink), this machine's load: %s%n", n,
                        Files.readString(Path.of("/proc/loadavg")).trim());
                System.out.printf("Mailwright: %d delivered in %.1f s = %.0f msg/s over %d connections%n", mwOk, mwSeconds, mwOk / mwSeconds, mwConnections);
                System.out.printf("Mailwright, first to last delivery: %.1f s = %.0f msg/s%n", mwWindow, mwOk / mwWindow);
                System.out.printf("Postfix:    %d delivered in %.1f s = %.0f msg/s over %d connections%n", pfSent, pfSeconds, pfSent / pfSeconds, pfSent - pfReused);
                System.out.printf("ratio Mailwright/Postfix: %.2f%n", (mwOk / mwSeconds) / (pfSent / pfSeconds));
            } finally {
                postfix.close();
            }
        } finally {
            dns.close();
            sink.destroy();
        }
    }

    /** Messages in Postfix's queue (incoming, active, deferred). */
    private static long queued(PostfixPeer postfix) throws Exception {
        for (;;) {
            try {
                return countQueued(postfix);
            } catch (java.io.UncheckedIOException | java.io.IOException moved) {
                // a queue file moved while we counted: count again
            }
        }
    }

    private static long countQueued(PostfixPeer postfix) throws java.io.IOException {
        long count = 0;
        for (String q : List.of("incoming", "active", "deferred", "maildrop", "hold")) {
            Path d = postfix.dir.resolve("spool").resolve(q);
            if (!Files.isDirectory(d)) continue;
            try (var s = Files.walk(d)) {
                count += s.filter(Files::isRegularFile).count();
            }
        }
        return count;
    }

    private static byte[] body() {
        StringBuilder b = new StringBuilder("From: bench@src.test\r\nTo: user@bench.test\r\nSubject: benchmark\r\n"
                + "Date: Thu, 1 Jan 2026 00:00:00 +0000\r\n\r\n");
        while (b.length() < 2048) b.append("The quick brown fox jumps over the lazy dog, again and again and again.\r\n");
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
