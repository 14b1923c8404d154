package org.mailwright.smtp;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.subethamail.smtp.server.Session;

/**
 * The sessions open now, and what is counted per session and per client address. An entry lives from
 * {@link #open} to {@link #close}; {@code close} is idempotent, so whichever path ends a session (QUIT, a
 * refusal in accept — after which SubEthaSMTP never calls onSessionEnd —, a dropped connection, the deadline)
 * gives its counts back exactly once, and a limit counts live sessions only.
 */
public final class OpenSessions {
    private final ConcurrentHashMap<Session, OpenSession> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    /** Counts a new session in; {@code onListener} is the open-session count of its listener. */
    OpenSession open(Session s, InetAddress address, AtomicInteger onListener) {
        int fromAddress = perAddress.merge(address, 1, Integer::sum);
        OpenSession o = new OpenSession(address, fromAddress, onListener.incrementAndGet(), onListener);
        sessions.put(s, o);
        return o;
    }

    /** Counts the session out; a second call for the same session does nothing. */
    void close(Session s) {
        OpenSession o = sessions.remove(s);
        if (o == null) return;
        o.cancelDeadline();
        o.listenerCount.decrementAndGet();
        perAddress.computeIfPresent(o.address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** The session's entry, or null when it is not (or no longer) open. */
    OpenSession get(Session s) {
        return sessions.get(s);
    }

    /** Open sessions from this address, over all listeners. */
    public int fromAddress(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }

    public int size() {
        return sessions.size();
    }

    /** One open session: its counts at admission, its failed commands, its deadline. */
    static final class OpenSession {
        final InetAddress address;
        final int fromAddress;
        final int onListener;
        private final AtomicInteger listenerCount;
        private final AtomicInteger errors = new AtomicInteger();
        private volatile Future<?> deadline;
        private volatile boolean closed;

        private OpenSession(InetAddress address, int fromAddress, int onListener, AtomicInteger listenerCount) {
            this.address = address;
            this.fromAddress = fromAddress;
            this.onListener = onListener;
            this.listenerCount = listenerCount;
        }

        /** Counts one failed command; returns how many this session has had, this one included. */
        int error() {
            return errors.incrementAndGet();
        }

        void deadline(Future<?> f) {
            deadline = f;
            if (closed) f.cancel(false); // the session ended while its deadline was being set
        }

        private void cancelDeadline() {
            closed = true;
            Future<?> f = deadline;
            if (f != null) f.cancel(false);
        }
    }
}
