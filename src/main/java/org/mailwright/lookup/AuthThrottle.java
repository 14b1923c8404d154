package org.mailwright.lookup;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per client address: after a few failures each further attempt is slowed,
 * after more the address is locked out for a while. Success clears the count.
 */
public final class AuthThrottle {
    private final int delayAfter;
    private final int lockoutAfter;
    private final Duration lockout;
    private final Clock clock;
    private final ConcurrentHashMap<InetAddress, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(int count, Instant last) {}

    public AuthThrottle(int delayAfter, int lockoutAfter, Duration lockout, Clock clock) {
        this.delayAfter = delayAfter;
        this.lockoutAfter = lockoutAfter;
        this.lockout = lockout;
        this.clock = clock;
    }

    /** When the address is locked out: until when; else null. */
    public Instant lockedUntil(InetAddress address) {
        Failures f = failures.get(address);
        if (f == null || f.count < lockoutAfter) return null;
        Instant until = f.last.plus(lockout);
        if (clock.instant().isAfter(until)) {
            failures.remove(address, f);
            return null;
        }
        return until;
    }

    /** Records a failure and returns how long to wait before answering it. */
    public Duration failed(InetAddress address) {
        Instant now = clock.instant();
        Failures f = failures.compute(address, (a, old) ->
                old == null || now.isAfter(old.last.plus(lockout)) ? new Failures(1, now) : new Failures(old.count + 1, now));
        if (f.count <= delayAfter) return Duration.ZERO;
        return Duration.ofSeconds(Math.min(f.count - delayAfter, 5));
    }

    public int failures(InetAddress address) {
        Failures f = failures.get(address);
        return f == null ? 0 : f.count;
    }

    public void succeeded(InetAddress address) {
        failures.remove(address);
    }
}
