package org.mailwright.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailwright.admin.Results;

/**
 * The getting-started checklist: the self-test's report ({@code mailwright check}) item by item — each DNS record,
 * the certificate, outbound port 25, the score — with its fix when it is not OK. The same report the self-test card
 * shows in full; nothing is checked twice.
 */
public final class Checklist {
    /** One line of the checklist: a ✓ or ✗, what, and what to do when it is not OK (empty when it is). */
    public record Item(boolean ok, String what, String fix) {
        public String mark() {
            return ok ? "✓" : "✗";
        }
    }

    private Checklist() {}

    public static List<Item> of(Results.SelfTestReport r) {
        List<Item> items = new ArrayList<>();
        for (Map<String, Object> row : r.dns()) items.add(dnsRecord(row));
        for (Map<String, Object> f : r.findings()) {
            String area = text(f.get("area"));
            // DNS findings sum up the rows above, per kind; the rest of DNS (no public IP, no DKIM key) stays.
            if (area.equals("DNS") && (text(f.get("title")).endsWith("record not OK") || text(f.get("verdict")).equals("PASS"))) continue;
            if (!area.equals("DNS") && !area.equals("TLS") && !area.equals("Outbound")) continue;
            boolean ok = text(f.get("verdict")).equals("PASS");
            String detail = text(f.get("detail"));
            items.add(new Item(ok, text(f.get("title")) + (ok || detail.isEmpty() ? "" : ": " + detail), ok ? "" : text(f.get("fix"))));
        }
        boolean clean = !r.anyFailure();
        items.add(new Item(clean, String.format(Locale.ROOT, "Self-test score %.1f of 10", r.score()),
                clean ? "" : "the failing findings of the self-test below, each with its fix"));
        return items;
    }

    /** A DNS row ({@code DnsCheck.toMap}): "MX record example.org (required)"; its fix is the check's detail or the record to publish. */
    private static Item dnsRecord(Map<String, Object> row) {
        boolean ok = text(row.get("status")).equals("OK");
        String what = text(row.get("label")) + " " + text(row.get("name")) + " (" + text(row.get("level")) + ")"
                + (ok ? "" : switch (text(row.get("status"))) {
                    case "MISSING" -> ": not published";
                    case "WRONG" -> ": published with another value";
                    default -> ": could not be checked";
                });
        String detail = text(row.get("detail"));
        String value = text(row.get("expected"));
        String fix = ok ? "" : (detail.isEmpty() ? "" : detail + " — ") + "publish " + text(row.get("type")) + " " + text(row.get("name"))
                + (value.length() > 60 ? " (its value is on the DNS view, with Copy)" : " " + value + " (see DNS)");
        return new Item(ok, what, fix);
    }

    private static String text(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}
