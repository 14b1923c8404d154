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
import org.mailwright.config.ConfigLoader;
import org.mailwright.smtp.ListenerUnavailable;

/**
 * Settings: limits, outbound, mail from other servers ([inbound]), sender restriction — keys of mailwright.conf read with {@code config get} and saved
 * with one {@code config set-all} of the engine the window acts on (this computer or the connected server). The file
 * keeps every other key and comment; a running engine is told and applies what it can at once, and the status line
 * says what needs a restart. The listeners are the engine's {@code status}; changed ones replace the [[listen]]
 * blocks in the same edit (a restart applies them).
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

    private final AppContext context;
    final ObservableList<ListenerRow> listeners = FXCollections.observableArrayList();
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
        context.work().run("Reading the settings", () -> {
            Map<String, Object> values = new LinkedHashMap<>();
            for (String key : fields().keySet()) values.put(key, admin.configGet(key).value());
            return new Object[] {values, admin.status().listeners()};
        }, r -> {
            if (admin != context.admin()) return;
            @SuppressWarnings("unchecked") Map<String, Object> v = (Map<String, Object>) r[0];
            @SuppressWarnings("unchecked") List<Results.Listener> ls = (List<Results.Listener>) r[1];
            listeners.setAll(ls.stream().map(ListenerRow::new).toList());
            loadedListeners = List.copyOf(ls);
            long size = number(v.get("delivery.max_message_size"));
            maxMessageMb.set(size % MB == 0 ? String.valueOf(size / MB) : String.format(java.util.Locale.ROOT, "%.2f", size / (double) MB));
            maxConnections.set(text(v.get("limits.max_connections")));
            maxConnectionsPerIp.set(text(v.get("limits.max_connections_per_ip")));
            maxRecipients.set(text(v.get("limits.max_recipients")));
            delivery.set(word(Config.DeliveryFormat.values(), text(v.get("delivery.format")), Config.DeliveryFormat::word));
            resolver.set(text(v.get("outbound.resolver")));
            outboundTls.set(word(Config.OutboundTls.values(), text(v.get("outbound.tls")), Config.OutboundTls::word));
            smarthost.set(text(v.get("outbound.smarthost")));
            dmarc.set(word(Config.DmarcMode.values(), text(v.get("inbound.dmarc")), Config.DmarcMode::word));
            dnsbl.set(text(v.get("inbound.dnsbl")));
            greylisting.set(Boolean.parseBoolean(text(v.get("inbound.greylisting"))));
            senderCheck.set(Boolean.parseBoolean(text(v.get("submission.sender_check"))));
            sendAsAnyone.set(text(v.get("submission.send_as_anyone")));
            loaded.clear();
            loaded.putAll(fields());
            ready.set(true);
            status.set(context.remote() ? "The settings of the server (" + admin.where() + ")." : "");
        }, failed -> {
            if (admin == context.admin()) status.set(failed);
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

    /** Saves the changed keys as one edit; {@code restart}: then restarts the engine in this process. */
    public void save(boolean restart) {
        if (!ready.get()) return;
        Map<String, String> changed;
        List<Results.Listener> ls;
        try {
            changed = changes();
            ls = java.util.stream.IntStream.range(0, listeners.size()).mapToObj(i -> listeners.get(i).listener(i + 1)).toList();
        } catch (IllegalArgumentException e) {
            status.set(e.getMessage());
            problem.set(true);
            return;
        }
        List<Results.Listener> newListeners = ls.equals(loadedListeners) ? null : ls;
        boolean local = !context.remote();
        listenerToFix.set(-1);
        if (changed.isEmpty() && newListeners == null) {
            status.set("Nothing changed.");
            problem.set(false);
            if (restart && local) restartEngine(null, () -> {});
            return;
        }
        Admin admin = context.admin();
        Map<String, String> loadedBefore = new LinkedHashMap<>(loaded);
        List<Results.Listener> listenersBefore = loadedListeners;
        Path file = context.dataDir().resolve(ConfigLoader.FILE_NAME);
        status.set("Saving…");
        problem.set(false);
        context.work().run("Saving the settings", () -> {
            // A restart here may put the file back as it was: keep its text from before the change.
            String before = restart && local ? Files.readString(file) : null;
            return new Saved(before, admin.configSetAll(changed, newListeners));
        }, saved -> {
            if (admin != context.admin()) return;
            Results.ConfigChanges r = saved.changes();
            loaded.clear();
            loaded.putAll(fields());
            if (newListeners != null) loadedListeners = newListeners;
            String where = local ? "Saved to mailwright.conf" : "Saved on the server";
            if (restart && local) {
                status.set(where + " — restarting the engine.");
                restartEngine(saved.before(), () -> {
                    loaded.clear(); // the file is back as it was: a save sends these changes again
                    loaded.putAll(loadedBefore);
                    loadedListeners = listenersBefore;
                });
            } else if (!r.running()) {
                status.set(where + " — the engine is not running; it uses them when it starts.");
            } else if (r.restart().isEmpty()) {
                status.set(where + " — applied live to the running engine.");
            } else {
                status.set(where + " — applied live except " + String.join(", ", r.restart()) + ": restart the engine to apply "
                        + (r.restart().size() == 1 ? "it." : "them."));
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
    public BooleanProperty readyProperty() { return ready; }
    public BooleanProperty problemProperty() { return problem; }
    /** The attached server, or null: "Save and restart" restarts only the engine in this process. */
    public javafx.beans.property.ReadOnlyObjectProperty<AppContext.RemoteEngine> remoteProperty() { return context.remoteProperty(); }
}
