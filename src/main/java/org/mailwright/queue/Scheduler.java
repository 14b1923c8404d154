package org.mailwright.queue;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailwright.config.Config;
import org.mailwright.log.Maillog;
import org.mailwright.mail.Addresses;

/**
 * The scheduler: every envelope in the spool is either waiting for its next attempt or being tried.
 * Temporary failures are retried on the configured schedule until the message expires; permanent
 * failures bounce at once (a bounce never bounces). Every attempt is one maillog line.
 */
public final class Scheduler implements AutoCloseable {
    private final Spool spool;
    private final LocalDelivery mda;
    private final Relay relay;
    private final Bounces bounces;
    private final Router router;
    private final Maillog log;
    private volatile Config.Queue policy; // config.reload swaps it; the next retry is planned by the new one
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Map<String, Envelope> envelopes = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<String> recovered = ConcurrentHashMap.newKeySet();
    private final Object[] batchLocks = new Object[64];
    private final Counters counters = new Counters();
    private volatile boolean inspectionOnly;

    /** Today's figures for the dashboard. */
    public static final class Counters {
        public final AtomicInteger delivered = new AtomicInteger();
        public final AtomicInteger deferred = new AtomicInteger();
        public final AtomicInteger bounced = new AtomicInteger();
    }

    /** {@code relay} may be null: remote recipients then wait in the queue. */
    public Scheduler(Spool spool, LocalDelivery mda, Relay relay, Bounces bounces, Router router, Maillog log,
                     Config.Queue policy, Clock clock, int workers) {
        this(spool, mda, relay, bounces, router, log, policy, clock, workers(workers));
    }

    /** With the timers on {@code executor}: tests give it one that runs what {@code clock} says is due. */
    Scheduler(Spool spool, LocalDelivery mda, Relay relay, Bounces bounces, Router router, Maillog log,
              Config.Queue policy, Clock clock, ScheduledExecutorService executor) {
        this.spool = spool;
        this.mda = mda;
        this.relay = relay;
        this.bounces = bounces;
        this.router = router;
        this.log = log;
        this.policy = policy;
        this.clock = clock;
        this.executor = executor;
        for (int i = 0; i < batchLocks.length; i++) batchLocks[i] = new Object();
    }

    private static ScheduledExecutorService workers(int n) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(n, r -> {
            Thread t = new Thread(r, "mailwright-queue");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Recovers the spool after a stop or a crash and schedules everything in it. */
    public void start() throws IOException {
        int purged = spool.purgeIncoming();
        List<Envelope> all = spool.loadAll();
        log.event("-", "queue", "recovered", "envelopes", all.size(), "incomplete-removed", purged);
        for (Envelope e : all) {
            recovered.add(e.id());
            envelopes.put(e.id(), e);
            schedule(e);
        }
    }

    /** Loads the spool without delivering anything: for queue commands while the engine is stopped. */
    public void loadForInspection() throws IOException {
        inspectionOnly = true;
        for (Envelope e : spool.loadAll()) envelopes.put(e.id(), e);
    }

    /** Schedules a message committed to the spool by another process ({@code sendmail}); returns its envelope count. */
    public int adopt(String messageId) throws IOException {
        List<Envelope> found = spool.loadMessage(messageId);
        List<Envelope> fresh = found.stream().filter(e -> !envelopes.containsKey(e.id())).toList();
        enqueue(fresh);
        return fresh.size();
    }

    public Counters counters() {
        return counters;
    }

    /** The retry schedule and expiry from now on (retries already planned keep their time). */
    public void policy(Config.Queue next) {
        policy = next;
    }

    /** Hands newly committed envelopes to delivery. */
    public void enqueue(Collection<Envelope> fresh) {
        // All known before any is tried, so that the first attempt takes its siblings along (one transaction).
        for (Envelope e : fresh) envelopes.put(e.id(), e);
        for (Envelope e : fresh) schedule(e);
    }

    public List<Envelope> list() {
        List<Envelope> all = new ArrayList<>(envelopes.values());
        all.sort(Comparator.comparing(Envelope::created).thenComparing(Envelope::id));
        return all;
    }

    /** Envelopes matching an envelope id or a message id. */
    public List<Envelope> find(String id) {
        Envelope e = envelopes.get(id);
        if (e != null) return List.of(e);
        return list().stream().filter(x -> x.messageId().equals(id)).toList();
    }

    /** Attempts now; returns how many envelopes were rescheduled. */
    public int retry(Optional<String> id) throws IOException {
        List<Envelope> targets = id.map(this::find).orElseGet(this::list);
        int n = 0;
        for (Envelope e : targets) {
            if (!takeOver(e)) {
                // Being tried this very moment: that attempt is the retry asked for, not "nothing queued".
                if (inFlight.contains(e.id()) && envelopes.containsKey(e.id())) n++;
                continue;
            }
            Envelope now = e.withNextAttempt(clock.instant());
            spool.update(now);
            envelopes.replace(e.id(), now);
            log.event(e.id(), "queue", "retry", "to", "<" + e.to() + ">");
            schedule(now);
            n++;
        }
        return n;
    }

    /** Removes envelopes without delivering them; returns how many. */
    public int delete(String id) throws IOException {
        int n = 0;
        for (Envelope e : find(id)) {
            if (takeOver(e)) {
                spool.remove(e);
                envelopes.remove(e.id());
                log.event(e.id(), "queue", "delete", "from", "<" + e.from() + ">", "to", "<" + e.to() + ">");
                n++;
            }
        }
        return n;
    }

    /** Gives up on envelopes and returns them to the sender; returns how many. */
    public int bounce(String id) throws IOException {
        int n = 0;
        for (Envelope e : find(id)) {
            if (takeOver(e)) {
                fail(e, "550 5.0.0 message returned by the administrator", "");
                n++;
            }
        }
        return n;
    }

    /** Stops the timer and claims the envelope so no worker touches it; false when it is being tried now. */
    private boolean takeOver(Envelope e) {
        if (!inFlight.add(e.id())) return false;
        ScheduledFuture<?> t = timers.remove(e.id());
        if (t != null) t.cancel(false);
        inFlight.remove(e.id());
        return envelopes.containsKey(e.id());
    }

    private void schedule(Envelope e) {
        if (inspectionOnly) return; // the engine is stopped: what is due is tried when it starts
        if (e.action() == Envelope.Action.RELAY && relay == null) return; // waits for the outbound relay
        long delay = Math.max(0, Duration.between(clock.instant(), e.nextAttempt()).toMillis());
        ScheduledFuture<?> old = timers.put(e.id(), executor.schedule(() -> attempt(e.id()), delay, TimeUnit.MILLISECONDS));
        if (old != null) old.cancel(false);
    }

    private void attempt(String id) {
        Envelope e = envelopes.get(id);
        if (e == null) return;
        List<Envelope> batch = List.of(e);
        // Claims for one message are made one at a time: the first attempt takes every due sibling along.
        synchronized (batchLocks[Math.floorMod(e.messageId().hashCode(), batchLocks.length)]) {
            if (envelopes.get(id) != e || !inFlight.add(id)) return; // changed meanwhile: its own timer runs it
            timers.remove(id);
            if (e.nextAttempt().isAfter(clock.instant().plusSeconds(1))) {
                // A timer that fired after the envelope was rescheduled (it went along with another one's batch).
                inFlight.remove(id);
                schedule(e);
                return;
            }
            if (e.action() == Envelope.Action.RELAY) batch = claimBatch(e);
        }
        try {
            if (e.action() == Envelope.Action.DELIVER) {
                deliverLocally(e);
            } else {
                relay(batch);
            }
        } catch (RuntimeException | IOException ex) {
            for (Envelope x : batch) {
                Envelope current = envelopes.get(x.id());
                if (current == null || current.attempts() != x.attempts()) continue; // dealt with before the error
                log.event(x.id(), "queue", "error", "to", "<" + x.to() + ">", "error", ex.toString());
                Envelope later = current.retried(clock.instant().plus(Duration.ofMinutes(1)), "internal error: " + ex.getMessage());
                envelopes.replace(x.id(), later);
                schedule(later);
            }
        } finally {
            for (Envelope x : batch) inFlight.remove(x.id());
            inFlight.remove(id);
        }
    }

    /**
     * The envelope and every other one of the same message for the same domain that is due too: they go in one
     * SMTP transaction (one copy of the message, several RCPTs). The others are claimed and their timers stopped.
     */
    private List<Envelope> claimBatch(Envelope e) {
        List<Envelope> batch = new ArrayList<>();
        batch.add(e);
        String domain = Addresses.domainOf(e.to());
        Instant due = clock.instant().plusSeconds(1);
        for (Envelope other : envelopes.values()) {
            if (other.id().equals(e.id()) || !other.messageId().equals(e.messageId())
                    || other.action() != Envelope.Action.RELAY || !Addresses.domainOf(other.to()).equals(domain)
                    || other.nextAttempt().isAfter(due)) continue;
            if (!inFlight.add(other.id())) continue;
            ScheduledFuture<?> t = timers.remove(other.id());
            if (t != null) t.cancel(false);
            if (envelopes.get(other.id()) != other) { // changed (retried, deleted) while we looked
                inFlight.remove(other.id());
                if (envelopes.containsKey(other.id())) schedule(envelopes.get(other.id()));
                continue;
            }
            batch.add(other);
        }
        return batch;
    }

    private void deliverLocally(Envelope e) throws IOException {
        try {
            mda.deliver(e, spool.messageFile(e.messageId()), recovered.remove(e.id()), withOffset -> {
                spool.update(withOffset);
                envelopes.replace(e.id(), withOffset);
            });
            succeeded(e, "mda", "Delivered", "");
        } catch (DeliveryException ex) {
            if (ex.outcome() == Outcome.PERMFAIL) {
                log.event(e.id(), "mda", "delivery", "from", "<" + e.from() + ">", "to", "<" + e.to() + ">",
                        "user", e.localUser(), "delay", delay(e), "result", Outcome.PERMFAIL.word(), "stat", ex.getMessage());
                fail(e, "550 5.1.1 " + ex.getMessage(), "");
            } else {
                deferred(e, "mda", ex.getMessage(), "");
            }
        }
    }

    private void relay(List<Envelope> batch) throws IOException {
        Envelope e = batch.get(0);
        List<Bounces.Failure> failed = new ArrayList<>();
        for (Relay.Result r : relay.send(batch, spool.messageFile(e.messageId()))) {
            switch (r.outcome()) {
                case OK -> succeeded(r.envelope(), "mta", r.stat(), r.relay());
                case TEMPFAIL -> deferred(r.envelope(), "mta", r.stat(), r.relay());
                case PERMFAIL -> {
                    log.event(r.envelope().id(), "mta", "delivery", "from", "<" + e.from() + ">", "to", "<" + r.envelope().to() + ">",
                            "relay", r.relay().isEmpty() ? null : r.relay(), "delay", delay(r.envelope()), "result", Outcome.PERMFAIL.word(), "stat", r.stat());
                    failed.add(new Bounces.Failure(r.envelope(), r.stat(), r.relay()));
                }
            }
        }
        if (!failed.isEmpty()) fail(failed); // one report for all recipients the peer refused
    }

    private void succeeded(Envelope e, String role, String stat, String relayHost) throws IOException {
        spool.remove(e);
        envelopes.remove(e.id());
        counters.delivered.incrementAndGet();
        log.event(e.id(), role, "delivery", "from", "<" + e.from() + ">", "to", "<" + e.to() + ">",
                "user", e.localUser().isEmpty() ? null : e.localUser(), "folder", e.folder().isEmpty() ? null : e.folder(),
                "relay", relayHost.isEmpty() ? null : relayHost, "delay", delay(e), "result", Outcome.OK.word(), "stat", stat,
                "spf", check(e, "spf"), "dkim", check(e, "dkim"), "dmarc", check(e, "dmarc"));
    }

    /** One verdict of the envelope's receive checks ({@code spf=pass dkim=none dmarc=pass}); null when unchecked. */
    static String check(Envelope e, String method) {
        for (String part : e.checks().split(" ")) {
            if (part.startsWith(method + "=")) return part.substring(method.length() + 1);
        }
        return null;
    }

    private void deferred(Envelope e, String role, String stat, String relayHost) throws IOException {
        Instant now = clock.instant();
        log.event(e.id(), role, "delivery", "from", "<" + e.from() + ">", "to", "<" + e.to() + ">",
                "user", e.localUser().isEmpty() ? null : e.localUser(), "relay", relayHost.isEmpty() ? null : relayHost,
                "delay", delay(e), "result", Outcome.TEMPFAIL.word(), "stat", stat);
        counters.deferred.incrementAndGet();
        Config.Queue p = policy;
        if (now.isAfter(e.created().plus(p.expire()))) {
            fail(e, "550 4.4.7 message expired after " + org.mailwright.config.Durations.format(p.expire())
                    + " in the queue; last error: " + stat, relayHost);
            return;
        }
        Envelope later = e.retried(now.plus(retryDelay(p, e.attempts())), stat);
        spool.update(later);
        envelopes.replace(e.id(), later);
        schedule(later);
    }

    /** How long to wait after a temporary failure, {@code attempts} tries before it: the schedule's last step repeats. */
    static Duration retryDelay(Config.Queue policy, int attempts) {
        List<Duration> schedule = policy.retrySchedule();
        return schedule.get(Math.min(attempts, schedule.size() - 1));
    }

    /** Permanent failure: a bounce to the sender (committed before the envelope goes), unless it is a bounce. */
    private void fail(Envelope e, String reply, String remoteMta) throws IOException {
        fail(List.of(new Bounces.Failure(e, reply, remoteMta)));
    }

    /** Permanent failures of envelopes of one message: one bounce naming them all. */
    private void fail(List<Bounces.Failure> failures) throws IOException {
        Envelope e = failures.get(0).envelope();
        if (e.isBounce()) {
            log.event(e.id(), "queue", "bounce-dropped", "to", "<" + e.to() + ">", "reason", "a bounce is never bounced");
        } else {
            List<Spool.Recipient> to = router.route(e.from());
            if (to.isEmpty()) {
                log.event(e.id(), "queue", "bounce-dropped", "to", "<" + e.from() + ">", "reason", "the sender has no mailbox here");
                for (Bounces.Failure f : failures) forget(f.envelope());
                return;
            }
            try (Spool.Incoming in = spool.receive()) {
                OutputStream out = in.stream();
                bounces.write(out, e.from(), failures, spool.headers(e.messageId(), 256 * 1024), clock.instant());
                List<Envelope> created = in.commit("", to, clock.instant());
                for (Bounces.Failure f : failures) {
                    log.event(created.get(0).id(), "queue", "bounce", "for", f.envelope().id(), "to", "<" + e.from() + ">",
                            "reason", f.reply());
                }
                enqueue(created);
            }
            counters.bounced.addAndGet(failures.size());
        }
        for (Bounces.Failure f : failures) forget(f.envelope());
    }

    private void forget(Envelope e) throws IOException {
        spool.remove(e);
        envelopes.remove(e.id());
    }

    private String delay(Envelope e) {
        Duration d = Duration.between(e.created(), clock.instant());
        long s = Math.max(0, d.getSeconds());
        return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
