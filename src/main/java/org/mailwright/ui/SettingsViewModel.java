package org.mailwright.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mailwright.config.Config;
import org.mailwright.config.Defaults;
import org.mailwright.config.ConfigLoader;
import org.mailwright.config.ConfigWriter;

/**
 * Settings: listeners, limits, outbound, sender restriction — written to the same mailwright.conf
 * (checked by reading it back before it replaces the file). The engine uses them after a restart.
 */
public final class SettingsViewModel {
    /** One editable listener row. */
    public static final class ListenerRow {
        final StringProperty address = new SimpleStringProperty();
        final StringProperty port = new SimpleStringProperty();
        final ObjectProperty<Config.ListenerTls> tls = new SimpleObjectProperty<>();
        final ObjectProperty<Config.ListenerAuth> auth = new SimpleObjectProperty<>();

        ListenerRow(Config.Listener l) {
            address.set(l.address());
            port.set(String.valueOf(l.port()));
            tls.set(l.tls());
            auth.set(l.auth());
        }
    }

    private final AppContext context;
    private Config loaded;
    final ObservableList<ListenerRow> listeners = FXCollections.observableArrayList();
    final StringProperty maxMessageMb = new SimpleStringProperty("");
    final StringProperty maxConnections = new SimpleStringProperty("");
    final StringProperty maxConnectionsPerIp = new SimpleStringProperty("");
    final StringProperty resolver = new SimpleStringProperty("");
    final ObjectProperty<Config.OutboundTls> outboundTls = new SimpleObjectProperty<>(Config.OutboundTls.OPPORTUNISTIC);
    final StringProperty smarthost = new SimpleStringProperty("");
    final BooleanProperty senderCheck = new SimpleBooleanProperty(true);
    final StringProperty sendAsAnyone = new SimpleStringProperty("");
    final ObjectProperty<Config.DeliveryFormat> delivery = new SimpleObjectProperty<>(Config.DeliveryFormat.MAILDIR);
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty ready = new SimpleBooleanProperty();

    public SettingsViewModel(AppContext context) {
        this.context = context;
    }

    public void load() {
        context.work().run("Reading the settings", context::config, c -> {
            loaded = c;
            listeners.setAll(c.listeners().stream().map(ListenerRow::new).toList());
            maxMessageMb.set(String.valueOf(c.delivery().maxMessageSize() / (1024 * 1024)));
            maxConnections.set(String.valueOf(c.limits().maxConnections()));
            maxConnectionsPerIp.set(String.valueOf(c.limits().maxConnectionsPerIp()));
            resolver.set(c.outbound().resolver());
            outboundTls.set(c.outbound().tls());
            smarthost.set(c.outbound().smarthost());
            senderCheck.set(c.submission().senderCheck());
            sendAsAnyone.set(String.join(", ", c.submission().sendAsAnyone()));
            delivery.set(c.delivery().format());
            ready.set(true);
            status.set("");
        }, failed -> status.set(failed));
    }

    /** The edited configuration, or an exception saying which field is wrong. */
    Config edited() {
        Config c = loaded;
        List<Config.Listener> ls = new ArrayList<>();
        for (ListenerRow r : listeners) {
            ls.add(Defaults.listener(r.address.get().strip(), number(r.port.get(), "a listener port"))
                    .withTls(r.tls.get()).withAuth(r.auth.get()));
        }
        Config.Delivery d = c.delivery().withFormat(delivery.get())
                .withMaxMessageSize((long) number(maxMessageMb.get(), "the message size") * 1024 * 1024);
        Config.Limits limits = c.limits().withMaxConnections(number(maxConnections.get(), "max connections"))
                .withMaxConnectionsPerIp(number(maxConnectionsPerIp.get(), "connections per address"));
        Config.Outbound out = c.outbound().withResolver(resolver.get().strip()).withTls(outboundTls.get())
                .withSmarthost(smarthost.get().strip());
        Config.Submission s = c.submission().withSenderCheck(senderCheck.get())
                .withSendAsAnyone(HostNames.splitDomains(sendAsAnyone.get()));
        return c.withListeners(ls).withDelivery(d).withLimits(limits).withSubmission(s).withOutbound(out);
    }

    private static int number(String s, String what) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(what + " must be a number (\"" + s + "\" is not)");
        }
    }

    public void save(boolean restart) {
        if (loaded == null) return;
        Config c;
        try {
            c = edited();
        } catch (IllegalArgumentException e) {
            status.set(e.getMessage());
            return;
        }
        context.work().run("Saving the settings", () -> {
            ConfigLoader.parse(ConfigWriter.toToml(c), context.dataDir()); // never write what we could not read back
            ConfigWriter.save(c, context.dataDir());
            return null;
        }, ok -> {
            loaded = c;
            status.set("Saved to " + context.dataDir().resolve(ConfigLoader.FILE_NAME)
                    + (restart ? " — restarting the engine." : " — restart the engine to use them."));
            if (restart) restartEngine();
        }, failed -> status.set(failed));
    }

    private void restartEngine() {
        EngineHost e = context.engine();
        if (e.state() != EngineHost.State.RUNNING) {
            e.start();
            return;
        }
        e.stateProperty().addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends EngineHost.State> o, EngineHost.State a, EngineHost.State s) {
                if (s == EngineHost.State.STOPPED) {
                    o.removeListener(this);
                    e.start();
                }
            }
        });
        e.stop();
    }

    public StringProperty statusProperty() { return status; }
    public BooleanProperty readyProperty() { return ready; }
}
