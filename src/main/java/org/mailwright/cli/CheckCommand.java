package org.mailwright.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import org.mailwright.dns.DnsCheck;
import org.mailwright.dns.DnsClient;
import org.mailwright.dns.DnsRecords;
import org.mailwright.dns.SelfTest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Deliverability self-test: DNS records, TLS certificate, our listeners, open relay, DNS blocklists,",
                "outbound port 25; then a score out of 10 with each deduction and its fix. Exit 1 when anything failed."})
public final class CheckCommand implements Callable<Integer> {
    @Option(names = "--resolver", paramLabel = "HOST:PORT", description = "DNS server to ask (default: [outbound] resolver, else the system's)")
    String resolver;

    @Option(names = "--probe-host", paramLabel = "HOST:PORT",
            description = "Mail server to connect to for the outbound port 25 test (default: [dns] outbound_probe)")
    String probeHost;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Per connection (default: ${DEFAULT-VALUE})")
    int timeoutSeconds = 5;

    @Option(names = "--json", description = "One JSON object: DNS rows, findings with deductions and fixes, score")
    boolean json;

    @Override
    public Integer call() throws ConfigException, JsonProcessingException {
        Config c = ConfigLoader.load(DataDir.path());
        DnsRecords records = DnsCommand.records(c, DataDir.path());
        DnsClient dns = DnsCommand.dns(c, resolver);
        String probe = probeHost != null && !probeHost.isBlank() ? probeHost : c.dns().outboundProbe();
        if (!probe.contains(":")) throw new Failure("--probe-host \"" + probe + "\" is not HOST:PORT — write it like mx.example.net:25");
        SelfTest.Report report = SelfTest.run(c, DataDir.path(), records, dns,
                new SelfTest.Options(probe, Duration.ofSeconds(Math.max(1, timeoutSeconds)), Instant.now()));
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("hostname", c.hostname());
            out.put("score", report.score());
            out.put("dns", report.dns().stream().map(DnsCheck::toMap).toList());
            out.put("findings", report.findings());
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        } else {
            System.out.print(format(c, dns, report));
        }
        return report.anyFailure() ? 1 : 0;
    }

    static String format(Config c, DnsClient dns, SelfTest.Report report) {
        StringBuilder b = new StringBuilder();
        b.append("Mailwright self-test for ").append(c.hostname()).append(c.ip().isEmpty() ? "" : " (" + c.ip() + ")")
                .append(", DNS asked through ").append(dns.description()).append("\n\n");
        b.append("== DNS records ==\n").append(DnsCommand.format(report.dns()));
        String area = "";
        for (SelfTest.Finding f : report.findings()) {
            if (!f.area().equals(area)) {
                area = f.area();
                b.append("\n== ").append(area).append(" ==\n");
            }
            b.append(String.format("%-5s %s%n", f.verdict(), f.title()));
            if (!f.detail().isEmpty()) b.append("      ").append(f.detail()).append('\n');
        }
        b.append(String.format("%nScore: %s/10%n", score(report.score())));
        List<SelfTest.Finding> deductions = report.findings().stream().filter(f -> f.deduction() > 0).toList();
        if (deductions.isEmpty()) {
            b.append("Nothing to fix.\n");
        } else {
            b.append("Deductions:\n");
            for (SelfTest.Finding f : deductions) {
                b.append(String.format("  -%s  %s: %s%n", score(f.deduction()), f.area(), f.title()));
                b.append("        fix: ").append(f.fix()).append('\n');
            }
        }
        List<SelfTest.Finding> hints = report.findings().stream().filter(f -> f.deduction() == 0 && f.verdict() == SelfTest.Verdict.WARN).toList();
        if (!hints.isEmpty()) {
            b.append("Worth doing (no points off):\n");
            hints.forEach(f -> b.append("  ").append(f.title()).append(" — ").append(f.fix()).append('\n'));
        }
        return b.toString();
    }

    private static String score(double d) {
        return d == Math.floor(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
