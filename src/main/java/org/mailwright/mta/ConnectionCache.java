package org.mailwright.mta;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Idle SMTP connections kept for the next message to the same host (what Postfix's scache does): a
 * few per host, closed with QUIT after an idle time or a number of transactions.
 */
final class ConnectionCache<C extends ConnectionCache.Reusable> implements AutoCloseable {
    /** What the cache asks of a connection ({@link SmtpConnection}). */
    interface Reusable {
        boolean isOpen();

        long idleNanos();

        int transactions();

        /** Says QUIT and closes. */
        void quit();
    }

    private final Duration maxIdle;
    private final int maxPerHost;
    private final int maxTransactions;
    private final Map<String, Deque<C>> idle = new HashMap<>();
    private final ScheduledExecutorService reaper;

    ConnectionCache(Duration maxIdle, int maxPerHost, int maxTransactions) {
        this.maxIdle = maxIdle;
        this.maxPerHost = maxPerHost;
        this.maxTransactions = maxTransactions;
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mailwright-mta-cache");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, maxIdle.toMillis() / 2);
        reaper.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /** An idle connection for {@code key}, or null. */
    C take(String key) {
        List<C> stale = new ArrayList<>();
        C found = null;
        synchronized (this) {
            Deque<C> q = idle.get(key);
            while (q != null && !q.isEmpty()) {
                C c = q.pollLast();
                if (c.isOpen() && c.idleNanos() < maxIdle.toNanos()) {
                    found = c;
                    break;
                }
                stale.add(c);
            }
        }
        stale.forEach(Reusable::quit);
        return found;
    }

    /** Keeps a connection whose last transaction ended cleanly; closes it when there are enough. */
    void give(String key, C c) {
        C surplus = null;
        if (!c.isOpen() || c.transactions() >= maxTransactions) {
            surplus = c;
        } else {
            synchronized (this) {
                Deque<C> q = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
                q.addLast(c);
                if (q.size() > maxPerHost) surplus = q.pollFirst();
            }
        }
        if (surplus != null) surplus.quit();
    }

    /** The reaper's sweep: quits every connection idle for too long, or closed by the peer. */
    void closeIdle() {
        List<C> stale = new ArrayList<>();
        synchronized (this) {
            for (Deque<C> q : idle.values()) {
                for (Iterator<C> it = q.iterator(); it.hasNext(); ) {
                    C c = it.next();
                    if (!c.isOpen() || c.idleNanos() >= maxIdle.toNanos()) {
                        it.remove();
                        stale.add(c);
                    }
                }
            }
            idle.values().removeIf(Deque::isEmpty);
        }
        stale.forEach(Reusable::quit);
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        List<C> all = new ArrayList<>();
        synchronized (this) {
            idle.values().forEach(all::addAll);
            idle.clear();
        }
        all.forEach(Reusable::quit);
    }
}
