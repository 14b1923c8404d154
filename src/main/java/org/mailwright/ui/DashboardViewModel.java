package org.mailwright.ui;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mailwright.admin.Admin;
import org.mailwright.admin.Results;
import org.mailwright.config.Config;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dns.DnsRecords;

/** Engine state, listeners, today's counters (from the maillog), certificate days left, DNS summary. */
public final class DashboardViewModel {
    private final AppContext context;
    private final StringProperty hostname = new SimpleStringProperty("");
    private final StringProperty certificate = new SimpleStringProperty("");
    private final StringProperty dns = new SimpleStringProperty("");
    private final ObservableList<String> listeners = FXCollections.observableArrayList();
    /** While connected: the remote engine's state in words ("Running on …"); empty for the local engine. */
    private final StringProperty remoteState = new SimpleStringProperty("");
    /** While connected: where, the queue and the uptime ("on root@host — 0 messages in the queue, up 5 min"). */
    private final StringProperty remoteDetail = new SimpleStringProperty("");

    AppContext context() {
        return context;
    }

    public DashboardViewModel(AppContext context) {
        this.context = context;
        context.engine().stateProperty().addListener((o, a, b) -> {
            if (!context.remote()) refresh();
        });
        context.adminProperty().addListener((o, a, b) -> refresh());
    }

    /** What the dashboard shows about the setup: read in the background. */
    record Setup(String hostname, List<String> listeners, String certificate, String dns, String remoteState, String remoteDetail) {}

    public void refresh() {
        Admin admin = context.admin();
        String remoteName = context.remote() ? context.remoteProperty().get().name() : null;
        if (remoteName != null) {
            remoteState.set("Asking…");
            remoteDetail.set("on " + remoteName);
        }
        context.work().run("Reading the setup", () -> remoteName == null ? read() : readRemote(admin, remoteName), s -> {
            if (admin != context.admin()) return; // connected or disconnected meanwhile: that refresh shows it
            remoteState.set(s.remoteState());
            remoteDetail.set(s.remoteDetail());
            hostname.set(s.hostname());
            listeners.setAll(s.listeners());
            certificate.set(s.certificate());
            dns.set(s.dns());
        }, failed -> {
            if (admin != context.admin()) return;
            remoteState.set(remoteName == null ? "" : "No answer");
            remoteDetail.set(remoteName == null ? "" : "from " + remoteName);
            hostname.set("");
            listeners.setAll(List.of(failed));
        });
    }

    private Setup read() throws Exception {
        Config c = context.config();
        List<String> ls = c.listeners().stream().map(l -> Words.listener(l.address(), l.port(), l.tls().word(), l.auth().word())).toList();
        String cert = context.certificates().current(c, context.dataDir())
                .map(i -> i.daysLeft(Clock.systemUTC()) + " days left" + (i.selfSigned() ? " (self-signed)" : " (" + i.issuer() + ")"))
                .orElse(c.tls().mode() == Config.TlsMode.NONE ? "TLS is off" : "no certificate yet");
        int records = DnsRecords.of(c, DkimKeys.loadAll(context.dataDir().resolve("dkim"))).records().size();
        String dnsText = records + " records to publish"
                + (c.ip().isBlank() ? " — no public IP set, so no A/PTR record yet" : "") + " (see DNS)";
        return new Setup(c.hostname(), ls, cert, dnsText, "", "");
    }

    /** The connected engine as {@code mailwright status} on the server tells it. */
    static Setup readRemote(Admin admin, String name) {
        Results.Status s = admin.status();
        List<String> ls = s.listeners().stream().map(l -> Words.listener(l.address(), l.port(), l.tls(), l.auth())).toList();
        Results.Certificate c = s.certificate();
        String cert = c == null ? "no certificate yet"
                : c.daysLeft() + " days left" + (c.selfSigned() ? " (self-signed)" : " (" + c.issuer() + ")") + ", until " + TlsViewModel.day(c.notAfter());
        String state = s.running() ? "Running" : "Not running";
        String detail = "on " + name + " — " + s.queueSize() + (s.queueSize() == 1 ? " message" : " messages") + " in the queue"
                + (s.uptimeSeconds() == null ? "" : ", up " + uptime(s.uptimeSeconds()));
        String dns = "DKIM selectors: " + (s.dkimSelectors() == null || s.dkimSelectors().isEmpty() ? "none" : String.join(", ", s.dkimSelectors()))
                + "; domains: " + String.join(", ", s.domains());
        return new Setup(s.hostname(), ls, cert, dns, state, detail);
    }

    static String uptime(long seconds) {
        if (seconds < 120) return seconds + " s";
        if (seconds < 7200) return seconds / 60 + " min";
        if (seconds < 172_800) return seconds / 3600 + " h";
        return seconds / 86_400 + " days";
    }

    public StringProperty hostnameProperty() { return hostname; }
    public StringProperty remoteStateProperty() { return remoteState; }
    public StringProperty remoteDetailProperty() { return remoteDetail; }
    public StringProperty certificateProperty() { return certificate; }
    public StringProperty dnsProperty() { return dns; }
    public ObservableList<String> listeners() { return listeners; }
    public MaillogViewModel maillog() { return context.maillog(); }
    public EngineHost engine() { return context.engine(); }
    boolean hasData() { return Files.isDirectory(context.dataDir()); }
}
