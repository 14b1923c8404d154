package org.mailwright.smtp;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.mailwright.config.Durations;
import org.subethamail.smtp.server.Session;

/**
 * {@code [limits] session_timeout}: a session older than that is told {@code 421 4.4.2} (RFC 3463: "bad
 * connection") and closed, however busy it keeps itself — the idle timeout alone lets a client that sends one
 * byte a minute hold a connection slot for ever. One timer thread for all listeners; the closing itself runs on
 * a thread of its own, as writing to a client that does not read may block.
 */
final class SessionDeadlines implements AutoCloseable {
    private final Inbound in;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("mailwright-session-deadline"));
    private final ExecutorService closer = Executors.newCachedThreadPool(daemon("mailwright-session-close"));

    SessionDeadlines(Inbound in) {
        this.in = in;
    }

    /** Sets the deadline of a session just admitted; nothing when session_timeout is 0s. */
    void start(Session s, OpenSessions.OpenSession o) {
        Duration timeout = in.config().limits().sessionTimeout();
        if (timeout.isZero()) return;
        o.deadline(timer.schedule(() -> closer.execute(() -> expire(s, timeout)), timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void expire(Session s, Duration timeout) {
        if (in.sessions().get(s) == null) return; // ended meanwhile
        in.log().event(s.getSessionId(), "smtp", "session-timeout", "address", Commands.ip(s), "after", Durations.format(timeout));
        try {
            s.sendResponse("421 4.4.2 " + in.config().hostname() + " Session time limit exceeded; closing");
        } catch (IOException | RuntimeException ignored) {
            // the client is gone already; closing is what matters
        }
        Commands.close(in, s); // the session's thread then sees its socket closed and ends
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
        closer.shutdownNow();
    }
}
