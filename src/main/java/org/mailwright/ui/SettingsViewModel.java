package org.mailwright.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mailwright.admin.Admin;
import org.mailwright.admin.Results;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigKeys;
import org.mailwright.config.ConfigLoader;
import org.mailwright.smtp.ListenerUnavailable;

/**
 * Settings: every part of mailwright.conf a person sets — host and domains, TLS, listeners, rules, limits, outbound
 * (smarthost and its login), the retry schedule, mail from other servers, the sender restriction — and the DKIM keys,
 * of the engine the window acts on (this computer or the connected server). Read with one {@code config show};
 * saved with one {@code config set-all} (the keys that changed, the {@code [[listen]]} blocks and the
 * {@code [[match]]} rules when those did) and {@code config smarthost-login} for the password, which never goes into
 * mailwright.conf. The file keeps every other key and comment; a running engine is told and applies what it can at
 * once, and the status line says what needs a restart. DKIM keys are made and removed at once ({@code dkim keygen},
 * {@code dkim delete}), as the CLI does.
 */
public final class SettingsViewModel {
    private static final long MB = 1024 * 1024;

    /** One editable listener row. */
    public static final class ListenerRow {
        final StringProperty address = new SimpleStringProperty();
        final StringProperty port = new SimpleStringProperty();
        final ObjectProperty<Config.ListenerTls> tls = new SimpleObjectProperty<>();
        final ObjectProperty<Config.ListenerAuth> auth = new SimpleObjectProperty<>();

        ListenerRow(Results.Listener l) {
            address.set(l.address());
            port.set(String.valueOf(l.port()));
            tls.set(word(Config.ListenerTls.values(), l.tls(), Config.ListenerTls::word));
            auth.set(word(Config.ListenerAuth.values(), l.auth(), Config.ListenerAuth::word));
        }

        /** {@code n}: the row's place (from 1), as the error names it. */
        Results.Listener listener(int n) {
            int p;
            try {
                p = Integer.parseInt(port.get().strip());
            } catch (NumberFormatException | NullPointerException e) {
                throw new IllegalArgumentException("the port of listener " + n + " must be a number (\"" + port.get() + "\" is not)");
            }
            return new Results.Listener(address.get() == null ? "" : address.get().strip(), p,
                    tls.get() == null ? "" : tls.get().word(), auth.get() == null ? "" : auth.get().word());
        }
    }

    /** One editable rule: first match wins, as in smtpd.conf. */
    public static final class RuleRow {
        final StringProperty from = new SimpleStringProperty("any");
        final StringProperty forWhat = new SimpleStringProperty("local");
        final ObjectProperty<Config.Action> action = new SimpleObjectProperty<>(Config.Action.DELIVER);

        RuleRow() {}

        RuleRow(Results.Rule r) {
            from.set(r.from());
            forWhat.set(r.forWhat());
            action.set(word(Config.Action.values(), r.action(), Config.Action::word));
        }

        Results.Rule rule() {
            return new Results.Rule(from.get() == null ? "" : from.get().strip(), forWhat.get() == null ? "" : forWhat.get().strip(),
                    action.get() == null ? "" : action.get().word());
        }
    }

    private final AppContext context;
    final ObservableList<ListenerRow> listeners = FXCollections.observableArrayList();
    final ObservableList<RuleRow> rules = FXCollections.observableArrayList();
    /** The rules as loaded: a save sends them only when one was changed, added, removed or moved. */
    private List<Results.Rule> loadedRules = List.of();
    final ObservableList<Results.DkimKeyInfo> dkimKeys = FXCollections.observableArrayList();
    final StringProperty newSelector = new SimpleStringProperty("");
    final ObjectProperty<org.mailwright.dkim.KeyType> newKeyType = new SimpleObjectProperty<>(org.mailwright.dkim.KeyType.RSA);
    private final StringProperty dkimStatus = new SimpleStringProperty("");
    final StringProperty hostname = new SimpleStringProperty("");
    final StringProperty domains = new SimpleStringProperty("");
    final StringProperty ip = new SimpleStringProperty("");
    final StringProperty ipv6 = new SimpleStringProperty("");
    final StringProperty adminUser = new SimpleStringProperty("");
    final ObjectProperty<Config.TlsMode> tlsMode = new SimpleObjectProperty<>(Config.TlsMode.SELF_SIGNED);
    final StringProperty tlsCert = new SimpleStringProperty("");
    final StringProperty tlsKey = new SimpleStringProperty("");
    final StringProperty acmeEmail = new SimpleStringProperty("");
    final StringProperty acmeDirectory = new SimpleStringProperty("");
    final StringProperty extraNames = new SimpleStringProperty("");
    final StringProperty retrySchedule = new SimpleStringProperty("");
    final StringProperty expire = new SimpleStringProperty("");
    final StringProperty idleTimeout = new SimpleStringProperty("");
    final StringProperty smarthostUser = new SimpleStringProperty("");
    /** Typed to change the smarthost password; empty keeps the one stored. Cleared once saved. */
    final StringProperty smarthostPassword = new SimpleStringProperty("");
    private String loadedSmarthostUser = "";
    /** The listeners as loaded: a save sends them only when a row was changed. */
    private List<Results.Listener> loadedListeners = List.of();
    final StringProperty maxMessageMb = new SimpleStringProperty("");
    final StringProperty maxConnections = new SimpleStringProperty("");
    final StringProperty maxConnectionsPerIp = new SimpleStringProperty("");
    final StringProperty maxRecipients = new SimpleStringProperty("");
    final StringProperty resolver = new SimpleStringProperty("");
    final ObjectProperty<Config.OutboundTls> outboundTls = new SimpleObjectProperty<>(Config.OutboundTls.OPPORTUNISTIC);
    final StringProperty smarthost = new SimpleStringProperty("");
    final ObjectProperty<Config.DmarcMode> dmarc = new SimpleObjectProperty<>(Config.DmarcMode.ENFORCE);
    final StringProperty dnsbl = new SimpleStringProperty("");
    final BooleanProperty greylisting = new SimpleBooleanProperty(false);
    final BooleanProperty senderCheck = new SimpleBooleanProperty(true);
    final StringProperty sendAsAnyone = new SimpleStringProperty("");
    final ObjectProperty<Config.DeliveryFormat> delivery = new SimpleObjectProperty<>(Config.DeliveryFormat.MAILDIR);
    private final StringProperty status = new SimpleStringProperty("");
    /** Whether the status line says what went wrong (shown as an error). */
    private final BooleanProperty problem = new SimpleBooleanProperty();
    /** The listener row whose field the last restart blamed (from 0), or -1; its address rather than its port when set. */
    final javafx.beans.property.IntegerProperty listenerToFix = new javafx.beans.property.SimpleIntegerProperty(-1);
    final BooleanProperty addressToFix = new SimpleBooleanProperty();
    private final BooleanProperty ready = new SimpleBooleanProperty();
    /** The key values as loaded, as the text {@code config set} takes: a save sends only what was changed. */
    private final Map<String, String> loaded = new LinkedHashMap<>();

    public SettingsViewModel(AppContext context) {
        this.context = context;
        context.adminProperty().addListener((o, was, now) -> load());
    }

    /** The edited fields, each as a dotted key and the text {@code config set} takes. */
    private Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hostname", hostname.get().strip());
        m.put("domains", String.join(", ", HostNames.splitDomains(domains.get())));
        m.put("ip", ip.get().strip());
        m.put("ipv6", ipv6.get().strip());
        m.put("admin", adminUser.get().strip());
        m.put("tls.mode", tlsMode.get() == null ? "" : tlsMode.get().word());
        m.put("tls.cert", tlsCert.get().strip());
        m.put("tls.key", tlsKey.get().strip());
        m.put("tls.acme_email", acmeEmail.get().strip());
        m.put("tls.acme_directory", acmeDirectory.get().strip());
        m.put("tls.extra_names", String.join(", ", HostNames.splitDomains(extraNames.get())));
        m.put("queue.retry_schedule", String.join(", ", java.util.Arrays.stream(retrySchedule.get().split("[,;\\s]+"))
                .filter(x -> !x.isBlank()).toList())); // in order, repeats kept: "5m, 5m, 1h" waits 5 minutes twice
        m.put("queue.expire", expire.get().strip());
        m.put("limits.idle_timeout", idleTimeout.get().strip());
        m.put("delivery.max_message_size", maxMessageMb.get().strip());
        m.put("limits.max_connections", maxConnections.get().strip());
        m.put("limits.max_connections_per_ip", maxConnectionsPerIp.get().strip());
        m.put("limits.max_recipients", maxRecipients.get().strip());
        m.put("delivery.format", delivery.get() == null ? "" : delivery.get().word());
        m.put("outbound.resolver", resolver.get().strip());
        m.put("outbound.tls", outboundTls.get() == null ? "" : outboundTls.get().word());
        m.put("outbound.smarthost", smarthost.get().strip());
        m.put("inbound.dmarc", dmarc.get() == null ? "" : dmarc.get().word());
        m.put("inbound.dnsbl", String.join(", ", HostNames.splitDomains(dnsbl.get())));
        m.put("inbound.greylisting", String.valueOf(greylisting.get()));
        m.put("submission.sender_check", String.valueOf(senderCheck.get()));
        m.put("submission.send_as_anyone", String.join(", ", HostNames.splitDomains(sendAsAnyone.get())));
        return m;
    }

    public void load() {
        Admin admin = context.admin();
        ready.set(false);
        context.work().run("Reading the settings", () -> new Object[] {admin.configShow(), admin.dkimKeys()}, r -> {
            if (admin != context.admin()) return;
            @SuppressWarnings("unchecked") Map<String, Object> v = (Map<String, Object>) r[0];
            @SuppressWarnings("unchecked") List<Results.DkimKeyInfo> keys = (List<Results.DkimKeyInfo>) r[1];
            List<Results.Listener> ls = Results.listenersOf(v.get(ConfigKeys.LISTEN));
            listeners.setAll(ls.stream().map(ListenerRow::new).toList());
            loadedListeners = List.copyOf(ls);
            List<Results.Rule> rs = Results.rulesOf(v.get(ConfigKeys.MATCH));
            rules.setAll(rs.stream().map(RuleRow::new).toList());
            loadedRules = List.copyOf(rs);
            dkimKeys.setAll(keys);
            hostname.set(text(v.get("hostname")));
            domains.set(text(v.get("domains")));
            ip.set(text(v.get("ip")));
            ipv6.set(text(v.get("ipv6")));
            adminUser.set(text(v.get("admin")));
            tlsMode.set(word(Config.TlsMode.values(), text(v.get("tls.mode")), Config.TlsMode::word));
            tlsCert.set(text(v.get("tls.cert")));
            tlsKey.set(text(v.get("tls.key")));
            acmeEmail.set(text(v.get("tls.acme_email")));
            acmeDirectory.set(text(v.get("tls.acme_directory")));
            extraNames.set(text(v.get("tls.extra_names")));
            retrySchedule.set(text(v.get("queue.retry_schedule")));
            expire.set(text(v.get("queue.expire")));
            idleTimeout.set(text(v.get("limits.idle_timeout")));
            long size = number(v.get("delivery.max_message_size"));
            maxMessageMb.set(size % MB == 0 ? String.valueOf(size / MB) : String.format(java.util.Locale.ROOT, "%.2f", size / (double) MB));
            maxConnections.set(text(v.get("limits.max_connections")));
            maxConnectionsPerIp.set(text(v.get("limits.max_connections_per_ip")));
            maxRecipients.set(text(v.get("limits.max_recipients")));
            delivery.set(word(Config.DeliveryFormat.values(), text(v.get("delivery.format")), Config.DeliveryFormat::word));
            resolver.set(text(v.get("outbound.resolver")));
            outboundTls.set(word(Config.OutboundTls.values(), text(v.get("outbound.tls")), Config.OutboundTls::word));
            smarthost.set(text(v.get("outbound.smarthost")));
            loadedSmarthostUser = text(v.get("outbound.smarthost_user"));
            smarthostUser.set(loadedSmarthostUser);
            smarthostPassword.set("");
            dmarc.set(word(Config.DmarcMode.values(), text(v.get("inbound.dmarc")), Config.DmarcMode::word));
            dnsbl.set(text(v.get("inbound.dnsbl")));
            greylisting.set(Boolean.parseBoolean(text(v.get("inbound.greylisting"))));
            senderCheck.set(Boolean.parseBoolean(text(v.get("submission.sender_check"))));
            sendAsAnyone.set(text(v.get("submission.send_as_anyone")));
            loaded.clear();
            loaded.putAll(fields());
            ready.set(true);
            problem.set(false);
            status.set(context.remote() ? "The settings of the server (" + admin.where() + ")." : "");
        }, failed -> {
            if (admin != context.admin()) return;
            status.set(failed);
            problem.set(true);
        });
    }

    /** An edit after a save: the line that told of the save no longer applies (a problem stays until the next save). */
    void edited() {
        if (ready.get() && !problem.get() && !status.get().startsWith("The settings of the server")) status.set("");
    }

    // Rules: added, removed and moved in the list; saved with the rest.

    void addRule() {
        rules.add(new RuleRow());
        edited();
    }

    void removeRule(RuleRow r) {
        rules.remove(r);
        edited();
    }

    /** Moves the rule one place up ({@code -1}) or down ({@code 1}): the first that matches decides. */
    void moveRule(RuleRow r, int by) {
        int i = rules.indexOf(r);
        int j = i + by;
        if (i < 0 || j < 0 || j >= rules.size()) return;
        rules.remove(i);
        rules.add(j, r);
        edited();
    }

    // DKIM keys: made and removed at once, like `dkim keygen` / `dkim delete`.

    void createDkimKey() {
        Admin admin = context.admin();
        String selector = newSelector.get().strip();
        String type = newKeyType.get() == null ? "rsa" : newKeyType.get().keyTag();
        dkimStatus.set("Making the key…");
        context.work().run("Making a DKIM key", () -> {
            Results.DkimKeyInfo k = admin.dkimKeygen(selector.isEmpty() ? null : selector, type);
            return new Object[] {k, admin.dkimKeys()};
        }, r -> {
            if (admin != context.admin()) return;
            Results.DkimKeyInfo k = (Results.DkimKeyInfo) r[0];
            @SuppressWarnings("unchecked") List<Results.DkimKeyInfo> keys = (List<Results.DkimKeyInfo>) r[1];
            dkimKeys.setAll(keys);
            newSelector.set("");
            dkimStatus.set("Made the key " + k.selector() + ": mail is signed with it from now on. Publish its TXT record "
                    + (k.records().isEmpty() ? "" : k.records().get(0).name() + " ") + "(Copy, or the DNS view).");
        }, failed -> {
            if (admin == context.admin()) dkimStatus.set(failed);
        });
    }

    void deleteDkimKey(String selector) {
        Admin admin = context.admin();
        dkimStatus.set("Removing " + selector + "…");
        context.work().run("Removing a DKIM key", () -> {
            admin.dkimDelete(selector);
            return admin.dkimKeys();
        }, keys -> {
            if (admin != context.admin()) return;
            dkimKeys.setAll(keys);
            dkimStatus.set("Removed the key " + selector + ": mail is no longer signed with it. Keep its DNS record a few days, for mail already sent.");
        }, failed -> {
            if (admin == context.admin()) dkimStatus.set(failed);
        });
    }

    /** The changed keys, the size given in MB written in bytes; IllegalArgumentException for a size that is no number. */
    Map<String, String> changes() {
        Map<String, String> now = fields();
        Map<String, String> changed = new LinkedHashMap<>();
        now.forEach((k, v) -> {
            if (!v.equals(loaded.get(k))) changed.put(k, v);
        });
        String mb = changed.get("delivery.max_message_size");
        if (mb != null) {
            try {
                changed.put("delivery.max_message_size", String.valueOf((long) (Double.parseDouble(mb) * MB)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the largest message must be a number of MB (\"" + mb + "\" is not)");
            }
        }
        return changed;
    }

    /** Saves the changed keys as one edit (and the smarthost login); {@code restart}: then restarts the engine in this process. */
    public void save(boolean restart) {
        if (!ready.get()) return;
        Map<String, String> changed;
        List<Results.Listener> ls;
        List<Results.Rule> rs = rules.stream().map(RuleRow::rule).toList();
        String user = smarthostUser.get().strip();
        String password = smarthostPassword.get();
        boolean login = !user.equals(loadedSmarthostUser) || !password.isEmpty();
        try {
            changed = changes();
            ls = java.util.stream.IntStream.range(0, listeners.size()).mapToObj(i -> listeners.get(i).listener(i + 1)).toList();
            if (login && !user.isEmpty() && password.isEmpty()) {
                throw new IllegalArgumentException("type the smarthost password for " + user + " (it is stored apart from mailwright.conf, mode 0600)");
            }
        } catch (IllegalArgumentException e) {
            status.set(e.getMessage());
            problem.set(true);
            return;
        }
        List<Results.Listener> newListeners = ls.equals(loadedListeners) ? null : ls;
        List<Results.Rule> newRules = rs.equals(loadedRules) ? null : rs;
        boolean local = !context.remote();
        listenerToFix.set(-1);
        if (changed.isEmpty() && newListeners == null && newRules == null && !login) {
            status.set("Nothing changed.");
            problem.set(false);
            if (restart && local) restartEngine(null, () -> {});
            return;
        }
        Admin admin = context.admin();
        Map<String, String> loadedBefore = new LinkedHashMap<>(loaded);
        List<Results.Listener> listenersBefore = loadedListeners;
        List<Results.Rule> rulesBefore = loadedRules;
        Path file = context.dataDir().resolve(ConfigLoader.FILE_NAME);
        boolean renamed = changed.containsKey("hostname") || changed.containsKey("domains");
        status.set("Saving…");
        problem.set(false);
        context.work().run("Saving the settings", () -> {
            // A restart here may put the file back as it was: keep its text from before the change.
            String before = restart && local ? Files.readString(file) : null;
            Results.ConfigChanges r = null;
            if (!changed.isEmpty() || newListeners != null || newRules != null) r = admin.configSetAll(changed, newListeners, newRules);
            if (login) {
                Results.ConfigChanges l = admin.smarthostLogin(user, password);
                if (r == null) r = l;
            }
            return new Saved(before, r);
        }, saved -> {
            if (admin != context.admin()) return;
            Results.ConfigChanges r = saved.changes();
            loaded.clear();
            loaded.putAll(fields());
            if (newListeners != null) loadedListeners = newListeners;
            if (newRules != null) loadedRules = newRules;
            loadedSmarthostUser = user;
            smarthostPassword.set("");
            String where = local ? "Saved to mailwright.conf" : "Saved on the server";
            String then = renamed ? " The host name or domains changed: publish the new DNS records (DNS) and get a certificate"
                    + " for the new name (TLS)." : "";
            if (restart && local) {
                status.set(where + " — restarting the engine.");
                restartEngine(saved.before(), () -> {
                    loaded.clear(); // the file is back as it was: a save sends these changes again
                    loaded.putAll(loadedBefore);
                    loadedListeners = listenersBefore;
                    loadedRules = rulesBefore;
                });
            } else if (!r.running()) {
                status.set(where + " — the engine is not running; it uses them when it starts." + then);
            } else if (r.restart().isEmpty()) {
                status.set(where + " — applied live to the running engine." + then);
            } else {
                status.set(where + " — applied live except " + String.join(", ", r.restart()) + ": restart the engine to apply "
                        + (r.restart().size() == 1 ? "it." : "them.") + then);
            }
        }, failed -> {
            if (admin != context.admin()) return;
            status.set(failed);
            problem.set(true);
        });
    }

    /** The save before a restart: the file's text from before it (null when not kept) and what the edit did. */
    private record Saved(String before, Results.ConfigChanges changes) {}

    /**
     * Restarts the engine in this process ({@link EngineHost#restart}); when it refuses or falls back to the old
     * settings, the status says why, the listener to blame is marked, and {@code reverted} runs (the file is back).
     */
    private void restartEngine(String previous, Runnable reverted) {
        EngineHost e = context.engine();
        if (e.state() != EngineHost.State.RUNNING) {
            e.start();
            return;
        }
        e.restart(previous, r -> {
            if (r.restarted()) {
                status.set("Saved to mailwright.conf — the engine runs with the new settings.");
                return;
            }
            if (previous != null) reverted.run();
            status.set(r.message());
            problem.set(true);
            listenerToFix.set(r.listener());
            addressToFix.set(r.reason() == ListenerUnavailable.Reason.ADDRESS);
        });
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(text(o));
    }

    private static String text(Object o) {
        if (o == null) return "";
        if (o instanceof List<?> l) return String.join(", ", l.stream().map(String::valueOf).toList());
        return String.valueOf(o);
    }

    static <E> E word(E[] values, String word, java.util.function.Function<E, String> of) {
        for (E e : values) if (of.apply(e).equals(word)) return e;
        return values[0];
    }

    public StringProperty statusProperty() { return status; }
    public StringProperty dkimStatusProperty() { return dkimStatus; }
    public BooleanProperty readyProperty() { return ready; }
    public BooleanProperty problemProperty() { return problem; }
    /** The attached server, or null: "Save and restart" restarts only the engine in this process. */
    public javafx.beans.property.ReadOnlyObjectProperty<AppContext.RemoteEngine> remoteProperty() { return context.remoteProperty(); }
}
