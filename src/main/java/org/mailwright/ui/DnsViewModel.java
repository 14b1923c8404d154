package org.mailwright.ui;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import org.mailwright.config.Config;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dns.DnsCheck;
import org.mailwright.dns.DnsClient;
import org.mailwright.dns.DnsRecords;

/** The DNS records to publish, any time after the wizard. */
public final class DnsViewModel {
    private final AppContext context;
    private final ObservableList<DnsRecord> records = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");
    /** The live check's verdict per record (OK / MISSING / WRONG / ERROR with what was found); empty until checked. */
    private final ObservableMap<DnsRecord, String> verdicts = FXCollections.observableHashMap();

    public DnsViewModel(AppContext context) {
        this.context = context;
    }

    public void refresh() {
        context.work().run("Computing the DNS records", () -> context.dnsRecords().records(context.config(),
                DkimKeys.loadAll(context.dataDir().resolve("dkim"))), list -> {
            records.setAll(list);
            verdicts.clear();
            status.set("Publish these at your DNS provider; the PTR record is set where you rent the server. "
                    + "Check live asks the DNS what is published (as `mailwright dns check` does).");
        }, failed -> status.set(failed));
    }

    /** Asks the DNS for every record (the configured resolver, else the system's) and marks each row. */
    public void check() {
        status.set("Checking the published records…");
        context.work().run("Checking the DNS", () -> {
            Config config = context.config();
            DnsRecords wanted = DnsRecords.of(config, DkimKeys.loadAll(context.dataDir().resolve("dkim")));
            List<DnsCheck.Row> rows = new DnsCheck(config, DnsClient.of(config.outbound().resolver())).run(wanted);
            return rows;
        }, rows -> {
            Map<DnsRecord, String> marks = new HashMap<>();
            int ok = 0;
            int requiredBad = 0;
            int unanswered = 0;
            for (DnsCheck.Row row : rows) {
                org.mailwright.dns.DnsRecord r = row.record();
                String verdict = row.status() == DnsCheck.Status.OK ? "OK"
                        : row.status() + (row.found().isEmpty() ? "" : ": found " + row.found()) + (row.detail().isEmpty() ? "" : " — " + row.detail());
                records.stream().filter(x -> x.type().equals(r.type()) && x.name().equals(r.name()) && x.value().equals(r.value()))
                        .forEach(x -> marks.put(x, verdict));
                if (row.ok()) ok++;
                else if (row.status() == DnsCheck.Status.ERROR) unanswered++;
                else if (r.required()) requiredBad++;
            }
            verdicts.clear();
            verdicts.putAll(marks);
            status.set(ok + " of " + rows.size() + " records are published as they should be"
                    + (requiredBad == 0 ? "" : "; " + requiredBad + " required record(s) need fixing")
                    + (unanswered == 0 ? "." : "; " + unanswered + " could not be checked: the DNS did not answer "
                            + "(set [outbound] resolver in Settings, or check the network)."));
        }, failed -> status.set("The DNS check failed: " + failed));
    }

    public String zoneFile() {
        return DnsRecordsSource.zoneFile(records);
    }

    public ObservableList<DnsRecord> records() { return records; }
    public ObservableMap<DnsRecord, String> verdicts() { return verdicts; }
    public StringProperty statusProperty() { return status; }
}
