package org.mailwright;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigKeys;
import org.mailwright.config.ConfigLoader;
import org.mailwright.control.ControlServer;
import org.mailwright.control.LocalQueueControl;
import org.mailwright.control.LocalSubmission;
import org.mailwright.control.QueueControl;
import org.mailwright.log.Maillog;
import org.mailwright.lookup.AliasFile;
import org.mailwright.lookup.AuthThrottle;
import org.mailwright.lookup.Passwd;
import org.mailwright.lookup.Recipients;
import org.mailwright.lookup.Srs;
import org.mailwright.mda.MaildirDelivery;
import org.mailwright.mda.MboxDelivery;
import org.mailwright.mta.OutboundRelay;
import org.mailwright.queue.Bounces;
import org.mailwright.queue.LocalDelivery;
import org.mailwright.queue.QueueLock;
import org.mailwright.queue.Relay;
import org.mailwright.queue.Router;
import org.mailwright.queue.Scheduler;
import org.mailwright.queue.Spool;
import org.mailwright.ruleset.Routing;
import org.mailwright.ruleset.Ruleset;
import org.mailwright.smtp.Inbound;
import org.mailwright.smtp.SmtpListeners;
import org.mailwright.tls.CertificateRenewal;
import org.mailwright.tls.ServerTls;

/**
 * Wires the roles of a mail server (smtp, queue/scheduler, mda, lookup, control) for one data directory
 * and starts or stops them together. Nothing starts half-configured: any problem stops the start.
 */
public final class Engine implements AutoCloseable {
    // Deliveries wait on fsync (local) or on remote servers (relay), not on the CPU: as many workers as a busy sender
    // opens sessions lets the file system commit their journal writes together (bench/README.md: 4 fell behind 16).
    private static final int DELIVERY_WORKERS = 16;

    private final Path dataDir;
    private volatile Config config;
    private final Inbound inbound;
    private final AtomicReference<Routing> routing;
    private final AtomicReference<LocalSubmission> local;
    private final QueueLock lock;
    private final Maillog log;
    private final Spool spool;
    private final Scheduler scheduler;
    private final ServerTls tls;
    private final SmtpListeners listeners;
    private final ControlServer control;
    private final OutboundRelay relay;
    private final CertificateRenewal renewal;

    private Engine(Path dataDir, Config config, Inbound inbound, AtomicReference<Routing> routing,
                   AtomicReference<LocalSubmission> local, QueueLock lock, Maillog log,
                   Spool spool, Scheduler scheduler, ServerTls tls, SmtpListeners listeners, ControlServer control,
                   OutboundRelay relay, CertificateRenewal renewal) {
        this.dataDir = dataDir;
        this.config = config;
        this.inbound = inbound;
        this.routing = routing;
        this.local = local;
        this.lock = lock;
        this.log = log;
        this.spool = spool;
        this.scheduler = scheduler;
        this.tls = tls;
        this.listeners = listeners;
        this.control = control;
        this.relay = relay;
        this.renewal = renewal;
    }

    /** Loads the configuration, recovers the queue, opens the listeners and the control socket. */
    public static Engine start(Path dataDir) throws ConfigException, IOException {
        Config config = ConfigLoader.load(dataDir);
        QueueLock lock = QueueLock.tryAcquire(dataDir).orElseThrow(() -> new IOException(
                "another Mailwright engine is already running on " + dataDir + " — stop it first (or use another --data)"));
        Maillog log = null;
        Scheduler scheduler = null;
        SmtpListeners listeners = null;
        OutboundRelay relay = null;
        try {
            log = Maillog.open(dataDir);
            Passwd passwd = new Passwd(dataDir);
            Recipients recipients = new Recipients(config, passwd);
            Spool spool = new Spool(dataDir);
            ServerTls tls = config.tls().mode() == Config.TlsMode.NONE ? null
                    : new ServerTls(config.tls().certPath(dataDir), config.tls().keyPath(dataDir));
            relay = new OutboundRelay(config, dataDir, log);
            AliasFile aliases = new AliasFile(dataDir);
            Srs.Key srs = Srs.Key.of(dataDir);
            srs.get(); // the key is made now, by the engine's user, not later by whoever runs sendmail first
            Function<Config, Routing> routingFor = c -> new Routing(c, recipients, aliases, srs);
            AtomicReference<Routing> routing = new AtomicReference<>(routingFor.apply(config));
            scheduler = newScheduler(dataDir, config, spool, routing::get, log, relay);
            scheduler.start();
            AuthThrottle throttle = new AuthThrottle(config.limits().authFailuresBeforeDelay(),
                    config.limits().authFailuresBeforeLockout(), config.limits().authLockout(), Clock.systemUTC());
            Inbound inbound = new Inbound(config, routingFor, passwd, recipients, throttle, spool, scheduler, log, tls,
                    org.mailwright.lookup.Greylist.load(dataDir, Clock.systemUTC()));
            listeners = new SmtpListeners(inbound);
            listeners.start();
            Scheduler sched = scheduler;
            Instant started = Instant.now();
            var local = new AtomicReference<>(new LocalSubmission(config, routing.get(), spool));
            ControlServer control = new ControlServer(dataDir, new LocalQueueControl(scheduler, spool),
                    () -> status(inbound.config(), sched, started), submitter(inbound::config, local, sched, log));
            log.event("-", "control", "started", "hostname", config.hostname(), "data", dataDir.toAbsolutePath());
            // The daily certificate check and the pick-up of files replaced by `tls acme`/`tls import`.
            CertificateRenewal renewal = tls == null ? null : new CertificateRenewal(dataDir, config, tls, log, Clock.systemUTC());
            if (renewal != null) {
                renewal.start(CertificateRenewal.FIRST_CHECK, CertificateRenewal.CHECK_EVERY, CertificateRenewal.WATCH_EVERY);
            }
            Engine engine = new Engine(dataDir, config, inbound, routing, local, lock, log, spool, scheduler, tls, listeners,
                    control, relay, renewal);
            control.reloader(engine::reloadConfig);
            return engine;
        } catch (IOException | RuntimeException e) {
            if (listeners != null) listeners.close();
            if (scheduler != null) scheduler.close();
            if (relay != null) relay.close();
            if (log != null) log.close();
            lock.close();
            throw e;
        }
    }

    /** Local submission ({@code DATA/submit.sock}): who may pick the sender, and delivery once committed. */
    private static ControlServer.Submitter submitter(Supplier<Config> config,
                                                     AtomicReference<LocalSubmission> submission,
                                                     Scheduler scheduler, Maillog log) {
        String self = System.getProperty("user.name", "");
        return new ControlServer.Submitter() {
            @Override
            public LocalSubmission submission() {
                return submission.get();
            }

            @Override
            public boolean mayChooseSender(String user) {
                return user.equals("root") || user.equals(self) || config.get().submission().sendAsAnyone().contains(user);
            }

            @Override
            public void queued(LocalSubmission.Queued q, String user) {
                log.event(q.id(), "smtp", "message", "msgid", q.id(), "from", "<" + q.sender() + ">", "size", q.size(),
                        "nrcpt", q.envelopes().size(), "proto", "local", "user", user);
                scheduler.enqueue(q.envelopes());
            }
        };
    }

    /** {@code relay} null: remote envelopes wait (queue commands while the engine is stopped). */
    static Scheduler newScheduler(Path dataDir, Config config, Spool spool, Supplier<Routing> routing, Maillog log, Relay relay) {
        LocalDelivery mda = config.delivery().format() == Config.DeliveryFormat.MBOX
                ? new MboxDelivery(dataDir) : new MaildirDelivery(dataDir, config.hostname());
        // A bounce goes where mail from the engine itself to its sender would go (an SRS sender: back to the original).
        Ruleset.Origin engine = new Ruleset.Origin(java.net.InetAddress.getLoopbackAddress(), false, true);
        Router router = address -> routing.get().route(engine, address, "") instanceof Routing.Route.Accept a ? a.recipients() : List.of();
        return new Scheduler(spool, mda, relay, new Bounces(config.hostname()), router, log, config.queue(),
                Clock.systemUTC(), DELIVERY_WORKERS);
    }

    /** Queue control for the CLI while no engine runs: holds the queue lock until closed. */
    public static Optional<OfflineQueue> offlineQueue(Path dataDir) throws ConfigException, IOException {
        Config config = ConfigLoader.load(dataDir);
        Optional<QueueLock> lock = QueueLock.tryAcquire(dataDir);
        if (lock.isEmpty()) return Optional.empty();
        Maillog log = Maillog.open(dataDir);
        Spool spool = new Spool(dataDir);
        Routing routing = new Routing(config, new Recipients(config, new Passwd(dataDir)), new AliasFile(dataDir), Srs.Key.of(dataDir));
        Scheduler scheduler = newScheduler(dataDir, config, spool, () -> routing, log, null);
        scheduler.loadForInspection();
        return Optional.of(new OfflineQueue(new LocalQueueControl(scheduler, spool), lock.get(), log, scheduler));
    }

    /** Queue control over a stopped engine's spool. */
    public record OfflineQueue(QueueControl control, QueueLock lock, Maillog log, Scheduler scheduler) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            scheduler.close();
            log.close();
            lock.close();
        }
    }

    private static Object status(Config config, Scheduler scheduler, Instant started) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("hostname", config.hostname());
        s.put("started", started.toString()); // `mailwright status` shows the uptime from it
        s.put("pid", ProcessHandle.current().pid());
        s.put("listeners", config.listeners());
        s.put("queued", scheduler.list().size());
        s.put("delivered", scheduler.counters().delivered.get());
        s.put("deferred", scheduler.counters().deferred.get());
        s.put("bounced", scheduler.counters().bounced.get());
        return s;
    }

    /** The configuration the engine runs by (after config.reload: with the live changes applied). */
    public Config config() {
        return config;
    }

    /**
     * {@code config.reload}: reads mailwright.conf again and applies, of what changed, what the roles read per
     * session, command or delivery attempt: the per-session limits, the message size, [submission], the
     * [[match]] rules, [queue], [outbound] and [dns] (which only the record generator and the self-test read).
     * Everything else waits for a restart: listeners, hostname, domains, TLS, delivery format, the idle timeout
     * and connection ceiling (SubEthaSMTP settings), the AUTH throttle. The answer lists the changed keys and
     * those that need the restart. A file that does not load changes nothing.
     */
    public synchronized Map<String, Object> reloadConfig() throws ConfigException, IOException {
        Config now = config;
        Config next = ConfigLoader.load(dataDir);
        Config.Limits kept = now.limits();
        Config applied = now
                .withLimits(next.limits().withMaxConnections(kept.maxConnections()).withIdleTimeout(kept.idleTimeout())
                        .withAuthFailuresBeforeDelay(kept.authFailuresBeforeDelay())
                        .withAuthFailuresBeforeLockout(kept.authFailuresBeforeLockout()).withAuthLockout(kept.authLockout()))
                .withDelivery(now.delivery().withMaxMessageSize(next.delivery().maxMessageSize()))
                .withSubmission(next.submission()).withMatches(next.matches()).withQueue(next.queue())
                .withOutbound(next.outbound()).withDns(next.dns()).withInbound(next.inbound());
        List<String> changed = ConfigKeys.changed(now, next);
        List<String> restart = ConfigKeys.changed(applied, next);
        relay.apply(applied.outbound()); // first: the only step that can fail (a smarthost password file)
        scheduler.policy(applied.queue());
        routing.set(inbound.routingFor().apply(applied));
        local.set(new LocalSubmission(applied, routing.get(), spool));
        inbound.apply(applied);
        config = applied;
        List<String> live = changed.stream().filter(k -> !restart.contains(k)).toList();
        log.event("-", "control", "reload", "applied", live.isEmpty() ? "none" : String.join(",", live),
                "restart", restart.isEmpty() ? "none" : String.join(",", restart));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("changed", changed);
        answer.put("applied", live);
        answer.put("restart", restart);
        return answer;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Maillog log() {
        return log;
    }

    public Spool spool() {
        return spool;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public Optional<ServerTls> tls() {
        return Optional.ofNullable(tls);
    }

    /** The certificate's keeper (daily renewal check); empty when TLS is off. */
    public Optional<CertificateRenewal> renewal() {
        return Optional.ofNullable(renewal);
    }

    public List<Config.Listener> listeners() {
        return listeners.listeners();
    }

    /** Stops accepting mail, lets deliveries in progress end, and releases the data directory. */
    @Override
    public void close() throws IOException {
        if (renewal != null) renewal.close();
        listeners.close();
        control.close();
        scheduler.close();
        relay.close();
        log.event("-", "control", "stopped");
        log.close();
        lock.close();
    }
}
