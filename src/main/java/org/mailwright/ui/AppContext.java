package org.mailwright.ui;

import java.io.IOException;
import java.nio.file.Path;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.mailwright.Engine;
import org.mailwright.admin.Admin;
import org.mailwright.admin.LocalAdmin;
import org.mailwright.admin.RemoteAdmin;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import org.mailwright.control.ControlClient;
import org.mailwright.control.LocalQueueControl;
import org.mailwright.control.QueueControl;

/** What every view shares: the data directory, the engine, background work and the engine-side sources. */
public final class AppContext implements AutoCloseable {
    private final Path dataDir;
    private final BackgroundWork work = new BackgroundWork();
    private final EngineHost engine;
    private final CertificateSource certificates;
    private MaillogViewModel maillog;
    /** "Connect to remote": the engine the Maillog and Queue views show instead of the local one, or null. */
    private final javafx.beans.property.ObjectProperty<RemoteEngine> remote = new javafx.beans.property.SimpleObjectProperty<>();
    /** Where the views' administrative operations go: the data directory here, or the attached server. */
    private final SimpleObjectProperty<Admin> admin;

    public AppContext(Path dataDir) {
        this(dataDir, new PemCertificateSource());
    }

    public AppContext(Path dataDir, CertificateSource certificates) {
        this.dataDir = dataDir;
        this.engine = new EngineHost(dataDir, work);
        this.certificates = certificates;
        this.admin = new SimpleObjectProperty<>(new LocalAdmin(dataDir));
    }

    /**
     * The admin layer of the engine the views act on: a {@link LocalAdmin} on the data directory, or a
     * {@link RemoteAdmin} over the attached connection. Take it on the FX thread when work starts and use that one
     * instance in the background; it is replaced (and the old one closed) on attach and disconnect.
     */
    public Admin admin() {
        return admin.get();
    }

    /** Views that show what {@link #admin()} reads refresh when it changes. */
    public ReadOnlyObjectProperty<Admin> adminProperty() {
        return admin;
    }

    /** Whether the views act on a remote engine (then the local engine's own files are not what they show). */
    public boolean remote() {
        return remote.get() != null;
    }

    public Path dataDir() {
        return dataDir;
    }

    public BackgroundWork work() {
        return work;
    }

    public EngineHost engine() {
        return engine;
    }

    public CertificateSource certificates() {
        return certificates;
    }

    /** The one maillog model: the Maillog view and the dashboard's counters read it. Started on first use. */
    public MaillogViewModel maillog() {
        if (maillog == null) {
            maillog = new MaillogViewModel(dataDir.resolve("log").resolve("maillog"));
            maillog.start();
        }
        return maillog;
    }

    /** The configuration as the file says now (call off the FX thread). */
    public Config config() throws ConfigException {
        return ConfigLoader.load(dataDir);
    }

    public boolean configured() {
        return ConfigLoader.exists(dataDir);
    }

    /** Something done with the queue. */
    public interface QueueCall<T> {
        T apply(QueueControl queue) throws IOException;
    }

    /**
     * Runs {@code call} on the queue wherever it is: the engine in this process, an engine in another process
     * (over its control socket), or the spool of a stopped engine (holding the queue lock meanwhile).
     */
    public <T> T queue(QueueCall<T> call) throws IOException, ConfigException {
        RemoteEngine r = remote.get();
        if (r != null) return call.apply(r.attach().queue());
        Engine running = engine.engine();
        if (running != null) return call.apply(new LocalQueueControl(running.scheduler(), running.spool()));
        ControlClient client = new ControlClient(dataDir);
        if (client.engineRunning()) return call.apply(client);
        if (!configured()) throw new IOException("no configuration yet — run the setup wizard first");
        var offline = Engine.offlineQueue(dataDir);
        if (offline.isEmpty()) throw new IOException("the queue is locked by another process — try again in a moment");
        try (Engine.OfflineQueue q = offline.get()) {
            return call.apply(q.control());
        }
    }

    /** A remote engine attached over SSH, and how the window names it. */
    public record RemoteEngine(org.mailwright.deploy.RemoteAttach attach, String name) {}

    /** The attached remote engine (null: the local one); the window title and status follow it. */
    public javafx.beans.property.ReadOnlyObjectProperty<RemoteEngine> remoteProperty() {
        return remote;
    }

    /** Maillog lines of the remote log shown on attach, before the live ones. */
    static final int REMOTE_BACKLOG = 1000;

    /**
     * Switches the Maillog and Queue views to a remote engine (call on the FX thread with an open connection;
     * this context closes it on {@link #disconnectRemote()}).
     */
    public void attachRemote(org.mailwright.deploy.RemoteAttach attach, String name) throws IOException {
        disconnectRemote();
        try {
            maillog().showRemote(attach, REMOTE_BACKLOG);
        } catch (IOException | RuntimeException e) {
            attach.close();
            maillog().showLocal();
            throw e;
        }
        Admin old = admin.get();
        remote.set(new RemoteEngine(attach, name)); // first: views refreshing on the admin change ask remote()
        admin.set(new RemoteAdmin(attach));
        old.close();
    }

    /** Back to the local engine (call on the FX thread); nothing happens when no remote is attached. */
    public void disconnectRemote() {
        RemoteEngine r = remote.get();
        if (r == null) return;
        Admin old = admin.get();
        remote.set(null);
        admin.set(new LocalAdmin(dataDir));
        maillog().showLocal();
        old.close(); // RemoteAdmin(attach) leaves the connection open: it is closed just below
        r.attach().close();
    }

    @Override
    public void close() {
        RemoteEngine r = remote.get();
        admin.get().close();
        if (r != null) r.attach().close();
        if (maillog != null) maillog.close();
        engine.stopNow();
    }
}
