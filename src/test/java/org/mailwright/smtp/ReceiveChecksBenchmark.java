package org.mailwright.smtp;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mailwright.config.Config;
import org.mailwright.config.Defaults;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dns.DnsClient;
import org.mailwright.testing.PythonDkimSigner;
import org.mailwright.testing.TestDns;

/**
 * CPU cost of the receive checks (SPF, DKIM, DMARC) per message with the DNS answers cached — not a timed test; run
 * by hand (bench/README.md). dnsmasq serves the sender's records with a TTL of 300 s; the first messages
 * fill the cache, then N messages of each kind are checked on one thread and its CPU time is read from the JVM.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) org.mailwright.smtp.ReceiveChecksBenchmark 2000</pre>
 */
public final class ReceiveChecksBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path tmp = Files.createTempDirectory("mailwright-bench-checks");
        Path key = PythonDkimSigner.rsaKey(tmp.resolve("sel.pem"), 2048);
        String record = DkimKeys.dnsTxtValue(DkimKeys.load(key));
        try (TestDns dns = TestDns.start(tmp.resolve("dns"), "127.0.21.200", TestDns.zone().local("test").ttl(300)
                .txt("sender.test", "v=spf1 ip4:127.0.21.10 include:_spf.sender.test -all")
                .txt("_spf.sender.test", "v=spf1 ip4:192.0.2.0/24 a:mx.sender.test -all").a("mx.sender.test", "192.0.2.25")
                .txt("_dmarc.sender.test", "v=DMARC1; p=reject").longTxt("sel._domainkey.sender.test", record))) {
            Config config = Defaults.config("mail.example.org", List.of("example.org"), Defaults.listeners("127.0.0.1", 25, 587, 465),
                    Config.TlsMode.NONE, Config.DeliveryFormat.MAILDIR);
            ReceiveChecks checks = new ReceiveChecks(config, DnsClient.cached(dns.resolver()));
            String body = "x".repeat(76) + "\r\n";
            String plain = "From: News <news@sender.test>\r\nTo: alice@example.org\r\nSubject: Benchmark\r\n"
                    + "Date: Thu, 03 Dec 2026 06:00:00 +0000\r\nMessage-ID: <1@sender.test>\r\n\r\n" + body.repeat(26); // ~2 KB
            byte[] unsigned = plain.getBytes(StandardCharsets.US_ASCII);
            byte[] signed = new PythonDkimSigner(tmp).sign(plain, key, "sel", "sender.test").getBytes(StandardCharsets.US_ASCII);
            InetAddress good = InetAddress.getByName("127.0.21.10");
            InetAddress bad = InetAddress.getByName("127.0.21.66");
            System.out.printf("%-44s %10s %10s %s%n", "case (" + n + " messages each)", "CPU ms/msg", "wall ms", "verdict");
            run("SPF pass, unsigned", n, () -> checks.check(good, "mx.sender.test", "news@sender.test", List.of("News <news@sender.test>"), false, unsigned));
            run("SPF fail (include walked), DKIM RSA-2048 pass", n, () -> checks.check(bad, "mx.sender.test", "news@sender.test", List.of("News <news@sender.test>"), false, signed));
            run("SPF fail, unsigned: DMARC reject", n, () -> checks.check(bad, "mx.sender.test", "news@sender.test", List.of("News <news@sender.test>"), false, unsigned));
        }
    }

    interface Check {
        ReceiveChecks.Outcome run();
    }

    private static void run(String name, int n, Check check) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ReceiveChecks.Outcome last = null;
        for (int i = 0; i < Math.max(200, n / 5); i++) last = check.run(); // fills the DNS cache, warms the JIT
        long cpu = mx.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < n; i++) last = check.run();
        double cpuMs = (mx.getCurrentThreadCpuTime() - cpu) / 1e6 / n;
        double wallMs = (System.nanoTime() - wall) / 1e6 / n;
        System.out.printf("%-44s %10.3f %10.3f %s%n", name, cpuMs, wallMs, AuthenticationResults.logFields(last.checks()) + " → " + last.action());
    }
}
