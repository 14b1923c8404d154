package org.mailwright.ui;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import org.mailwright.admin.Admin;
import org.mailwright.dns.DnsRecord;
import org.mailwright.dns.DnsRecords;

/**
 * The DNS records to publish, any time after the wizard: {@code dns records} and {@code dns check} of the engine the
 * window acts on (this computer, or the connected server, whose resolver then answers the check).
 */
public final class DnsViewModel {
    private final AppContext context;
    private final ObservableList<DnsRecord> records = FXCollections.observableArrayList();
    /** The records shown, as the engine's dns package generated them; "Copy all as zone file" copies their zone text. */
    private DnsRecords generated;
    private final StringProperty status = new SimpleStringProperty("");
    /** The live check's verdict per record (OK / MISSING / WRONG / ERROR with what was found); empty until checked. */
    private final ObservableMap<DnsRecord, String> verdicts = FXCollections.observableHashMap();

    public DnsViewModel(AppContext context) {
        this.context = context;
        context.adminProperty().addListener((o, was, now) -> refresh());
    }

    public void refresh() {
        Admin admin = context.admin();
        context.work().run("Computing the DNS records", admin::dnsRecordSet, set -> {
            if (admin != context.admin()) return;
            generated = set;
            records.setAll(set.records());
            verdicts.clear();
            status.set((context.remote() ? "The records of the server. " : "")
                    + "Publish these at your DNS provider; the PTR record is set where you rent the server. "
                    + "Check live asks the DNS what is published (as `mailwright dns check` does"
                    + (context.remote() ? ", on the server" : "") + ").");
        }, failed -> {
            if (admin == context.admin()) status.set(failed);
        });
    }

    /** Asks the DNS for every record (the configured resolver, else the system's) and marks each row. */
    public void check() {
        Admin admin = context.admin();
        status.set(context.remote() ? "Checking the published records from the server…" : "Checking the published records…");
        context.work().run("Checking the DNS", () -> admin.dnsCheck(null), report -> {
            if (admin != context.admin()) return;
            Map<DnsRecord, String> marks = new HashMap<>();
            int ok = 0;
            int requiredBad = 0;
            int unanswered = 0;
            List<Map<String, Object>> rows = report.rows();
            for (Map<String, Object> row : rows) {
                String st = text(row.get("status"));
                String found = text(row.get("found"));
                String detail = text(row.get("detail"));
                String verdict = st.equals("OK") ? "OK"
                        : st + (found.isEmpty() ? "" : ": found " + found) + (detail.isEmpty() ? "" : " — " + detail);
                records.stream().filter(x -> x.type().equals(text(row.get("type"))) && x.name().equals(text(row.get("name")))
                                && x.value().equals(text(row.get("expected"))))
                        .forEach(x -> marks.put(x, verdict));
                if (st.equals("OK")) ok++;
                else if (st.equals("ERROR")) unanswered++;
                else if ("required".equals(text(row.get("level")))) requiredBad++;
            }
            verdicts.clear();
            verdicts.putAll(marks);
            status.set(ok + " of " + rows.size() + " records are published as they should be"
                    + (requiredBad == 0 ? "" : "; " + requiredBad + " required record(s) need fixing")
                    + (unanswered == 0 ? "." : "; " + unanswered + " could not be checked: the DNS did not answer "
                            + "(set [outbound] resolver in Settings, or check the network).")
                    + (context.remote() ? " Asked by the server through " + report.resolver() + "." : ""));
        }, failed -> {
            if (admin == context.admin()) status.set("The DNS check failed: " + failed);
        });
    }

    private static String text(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    /** The zone text of `mailwright dns records` there (the text named-checkzone is tested on). */
    public String zoneFile() {
        return generated == null ? "" : generated.zone();
    }

    public ObservableList<DnsRecord> records() { return records; }
    public ObservableMap<DnsRecord, String> verdicts() { return verdicts; }
    public StringProperty statusProperty() { return status; }
}
