package org.mailwright.lookup;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per client address: after a few failures each further attempt is slowed, after more the
 * address is locked out for a while. Success clears the count; a failure is forgotten {@code lockout} after the
 * last one (so an address that stops guessing starts afresh).
 *
 * <p>An attempt is reserved with {@link #begin} before its password is checked and counts against the limit
 * while it is in flight: twenty parallel guesses from one address get at most {@code lockoutAfter} checks, not
 * twenty (the count and the check are not one step otherwise).
 */
public final class AuthThrottle {
    private final int delayAfter;
    private final int lockoutAfter;
    private final Duration lockout;
    private final Clock clock;
    private final ConcurrentHashMap<InetAddress, Failures> failures = new ConcurrentHashMap<>();

    /** {@code count} failures, the last at {@code last} (null before the first); {@code inFlight} attempts open. */
    private record Failures(int count, Instant last, int inFlight) {
        boolean forgotten(Instant now, Duration lockout) {
            return last == null || now.isAfter(last.plus(lockout));
        }
    }

    /** One reserved login attempt: end it with exactly one of {@link #failed}, {@link #succeeded}, {@link #abandoned}. */
    public final class Attempt {
        private final InetAddress address;
        private boolean ended;

        private Attempt(InetAddress address) {
            this.address = address;
        }

        /** Records the failure and returns how long to wait before answering it. */
        public Duration failed() {
            Instant now = clock.instant();
            Failures f = end((a, old) -> new Failures(old.forgotten(now, lockout) ? 1 : old.count + 1, now, old.inFlight - 1));
            if (f == null || f.count <= delayAfter) return Duration.ZERO;
            return Duration.ofSeconds(Math.min(f.count - delayAfter, 5));
        }

        public void succeeded() {
            end((a, old) -> old.inFlight > 1 ? new Failures(0, null, old.inFlight - 1) : null);
        }

        /** The client went away or cancelled: the attempt neither failed nor succeeded. */
        public void abandoned() {
            end((a, old) -> old.inFlight <= 1 && old.count == 0 ? null : new Failures(old.count, old.last, old.inFlight - 1));
        }

        private Failures end(java.util.function.BiFunction<InetAddress, Failures, Failures> change) {
            if (ended) return null;
            ended = true;
            return failures.computeIfPresent(address, change);
        }
    }

    public AuthThrottle(int delayAfter, int lockoutAfter, Duration lockout, Clock clock) {
        this.delayAfter = delayAfter;
        this.lockoutAfter = lockoutAfter;
        this.lockout = lockout;
        this.clock = clock;
    }

    /**
     * Reserves an attempt, or returns null when the address may not try now: locked out, or as many attempts
     * in flight as it has tries left.
     */
    public Attempt begin(InetAddress address) {
        Instant now = clock.instant();
        boolean[] admitted = {false};
        failures.compute(address, (a, old) -> {
            Failures f = old == null ? new Failures(0, null, 0)
                    : old.forgotten(now, lockout) ? new Failures(0, null, old.inFlight) : old;
            if (f.count + f.inFlight >= lockoutAfter) return f;
            admitted[0] = true;
            return new Failures(f.count, f.last, f.inFlight + 1);
        });
        return admitted[0] ? new Attempt(address) : null;
    }

    /** When the address is locked out by failures: until when; else null. */
    public Instant lockedUntil(InetAddress address) {
        Failures f = failures.get(address);
        if (f == null || f.count < lockoutAfter || f.last == null) return null;
        Instant until = f.last.plus(lockout);
        if (clock.instant().isAfter(until)) {
            failures.computeIfPresent(address, (a, old) -> old.forgotten(clock.instant(), lockout)
                    ? (old.inFlight == 0 ? null : new Failures(0, null, old.inFlight)) : old);
            return null;
        }
        return until;
    }

    public int failures(InetAddress address) {
        Failures f = failures.get(address);
        return f == null ? 0 : f.count;
    }
}
