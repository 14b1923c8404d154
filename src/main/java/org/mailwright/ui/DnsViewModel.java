package org.mailwright.ui;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mailwright.dkim.DkimKeys;

/** The DNS records to publish, any time after the wizard. */
public final class DnsViewModel {
    private final AppContext context;
    private final ObservableList<DnsRecord> records = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");

    public DnsViewModel(AppContext context) {
        this.context = context;
    }

    public void refresh() {
        context.work().run("Computing the DNS records", () -> context.dnsRecords().records(context.config(),
                DkimKeys.loadAll(context.dataDir().resolve("dkim"))), list -> {
            records.setAll(list);
            status.set("Publish these at your DNS provider; the PTR record is set where you rent the server. "
                    + "`mailwright dns check` checks them live.");
        }, failed -> status.set(failed));
    }

    public String zoneFile() {
        return DnsRecordsSource.zoneFile(records);
    }

    public ObservableList<DnsRecord> records() { return records; }
    public StringProperty statusProperty() { return status; }
}
