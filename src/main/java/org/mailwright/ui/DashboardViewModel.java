package org.mailwright.ui;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mailwright.config.Config;
import org.mailwright.dkim.DkimKeys;

/** Engine state, listeners, today's counters (from the maillog), certificate days left, DNS summary. */
public final class DashboardViewModel {
    private final AppContext context;
    private final StringProperty hostname = new SimpleStringProperty("");
    private final StringProperty certificate = new SimpleStringProperty("");
    private final StringProperty dns = new SimpleStringProperty("");
    private final ObservableList<String> listeners = FXCollections.observableArrayList();

    public DashboardViewModel(AppContext context) {
        this.context = context;
        context.engine().stateProperty().addListener((o, a, b) -> refresh());
    }

    /** What the dashboard shows about the setup: read in the background. */
    record Setup(String hostname, List<String> listeners, String certificate, String dns) {}

    public void refresh() {
        context.work().run("Reading the setup", this::read, s -> {
            hostname.set(s.hostname());
            listeners.setAll(s.listeners());
            certificate.set(s.certificate());
            dns.set(s.dns());
        }, failed -> {
            hostname.set("");
            listeners.setAll(List.of(failed));
        });
    }

    private Setup read() throws Exception {
        Config c = context.config();
        List<String> ls = c.listeners().stream().map(l -> l.address() + ":" + l.port() + "  tls=" + l.tls().word()
                + " auth=" + l.auth().word() + (l.isSubmission() ? "  users" : "  servers")).toList();
        String cert = context.certificates().current(c, context.dataDir())
                .map(i -> i.daysLeft(Instant.now()) + " days left" + (i.selfSigned() ? " (self-signed)" : " (" + i.issuer() + ")"))
                .orElse(c.tls().mode() == Config.TlsMode.NONE ? "TLS is off" : "no certificate yet");
        int records = context.dnsRecords().records(c, DkimKeys.loadAll(context.dataDir().resolve("dkim"))).size();
        String dnsText = records + " records to publish"
                + (c.ip().isBlank() ? " — no public IP set, so no A/PTR record yet" : "") + " (see DNS)";
        return new Setup(c.hostname(), ls, cert, dnsText);
    }

    public StringProperty hostnameProperty() { return hostname; }
    public StringProperty certificateProperty() { return certificate; }
    public StringProperty dnsProperty() { return dns; }
    public ObservableList<String> listeners() { return listeners; }
    public MaillogViewModel maillog() { return context.maillog(); }
    public EngineHost engine() { return context.engine(); }
    boolean hasData() { return Files.isDirectory(context.dataDir()); }
}
