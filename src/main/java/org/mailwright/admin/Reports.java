package org.mailwright.admin;

import java.util.List;
import org.mailwright.config.Config;
import org.mailwright.dns.DnsCheck;
import org.mailwright.dns.DnsClient;
import org.mailwright.dns.DnsRecords;
import org.mailwright.dns.SelfTest;

/** The reports for people of {@code dns check} and {@code check}, written where the rows are (local or remote). */
final class Reports {
    private Reports() {}

    static String dnsCheck(Config c, DnsClient dns, List<DnsCheck.Row> rows, List<String> notes) {
        StringBuilder b = new StringBuilder("DNS check for " + c.hostname() + " (asked " + dns.description() + ")\n");
        b.append(rows(rows));
        notes.forEach(n -> b.append("Note: ").append(n).append('\n'));
        long bad = rows.stream().filter(r -> r.record().required() && !r.ok()).count();
        b.append(DnsCheck.allRequiredOk(rows) ? "All required records are OK.\n" : bad + " required record(s) not OK.\n");
        return b.toString();
    }

    /** One line per record, then what was expected and what to do for those that are not OK. */
    static String rows(List<DnsCheck.Row> rows) {
        StringBuilder b = new StringBuilder();
        for (DnsCheck.Row r : rows) {
            b.append(String.format("%-8s %-24s %-12s %s%n", r.status(), DnsRecords.label(r.record()), r.record().level(), r.record().name()));
            if (!r.found().isEmpty()) b.append("         found:    ").append(r.found()).append('\n');
            if (!r.ok()) b.append("         expected: ").append(r.record().type()).append(' ').append(r.record().value()).append('\n');
            if (!r.detail().isEmpty()) b.append("         ").append(r.ok() ? "note:     " : "fix:      ").append(r.detail()).append('\n');
        }
        return b.toString();
    }

    static String selfTest(Config c, DnsClient dns, SelfTest.Report report) {
        StringBuilder b = new StringBuilder();
        b.append("Mailwright self-test for ").append(c.hostname()).append(c.ip().isEmpty() ? "" : " (" + c.ip() + ")")
                .append(", DNS asked through ").append(dns.description()).append("\n\n");
        b.append("== DNS records ==\n").append(rows(report.dns()));
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
