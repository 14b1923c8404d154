package org.mailwright.ui;

import java.io.IOException;
import java.nio.file.Path;
import org.mailwright.Engine;
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
    private final DnsRecordsSource dnsRecords;
    private final CertificateSource certificates;
    private MaillogViewModel maillog;

    public AppContext(Path dataDir) {
        this(dataDir, new GeneratedDnsRecords(), new PemCertificateSource());
    }

    public AppContext(Path dataDir, DnsRecordsSource dnsRecords, CertificateSource certificates) {
        this.dataDir = dataDir;
        this.engine = new EngineHost(dataDir, work);
        this.dnsRecords = dnsRecords;
        this.certificates = certificates;
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

    public DnsRecordsSource dnsRecords() {
        return dnsRecords;
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

    @Override
    public void close() {
        if (maillog != null) maillog.close();
        engine.stopNow();
    }
}
