package org.mailwright.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwright.testing.TestClock;

/** Failed logins per address: free at first, then slowed, then locked out for a while, and forgotten after it. */
class AuthThrottleTest {
    private static final int DELAY_AFTER = 3;
    private static final int LOCKOUT_AFTER = 10;
    private static final Duration LOCKOUT = Duration.ofMinutes(15);
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private final TestClock clock = new TestClock(T0);
    private final AuthThrottle throttle = new AuthThrottle(DELAY_AFTER, LOCKOUT_AFTER, LOCKOUT, clock);
    private final InetAddress guesser = address("192.0.2.1");
    private final InetAddress other = address("192.0.2.2");

    @ParameterizedTest(name = "failure {0} waits {1}s")
    @CsvSource({"1,0", "2,0", "3,0", "4,1", "5,2", "6,3", "7,4", "8,5", "9,5", "10,5"})
    void failuresAreAnsweredSlowerAndSlower(int failure, int seconds) {
        Duration wait = Duration.ZERO;
        for (int i = 1; i <= failure; i++) wait = fail(guesser);
        assertThat(wait).isEqualTo(Duration.ofSeconds(seconds));
        assertThat(throttle.failures(guesser)).isEqualTo(failure);
        assertThat(throttle.lockedUntil(guesser)).isEqualTo(failure < LOCKOUT_AFTER ? null : T0.plus(LOCKOUT));
    }

    @Test
    void enoughFailuresLockTheAddressOutAndOnlyThatOne() {
        for (int i = 0; i < LOCKOUT_AFTER; i++) fail(guesser);

        assertThat(throttle.begin(guesser)).isNull();
        assertThat(throttle.lockedUntil(guesser)).isEqualTo(T0.plus(LOCKOUT));
        assertThat(throttle.begin(other)).isNotNull();
        assertThat(throttle.failures(other)).isZero();
    }

    @ParameterizedTest(name = "{0}s after the last failure: may try again {1}")
    @CsvSource({"1,false", "899,false", "900,false", "901,true", "86400,true"})
    void aLockoutEndsAfterItsTime(long seconds, boolean admitted) {
        for (int i = 0; i < LOCKOUT_AFTER; i++) fail(guesser);
        clock.advance(Duration.ofSeconds(seconds));

        AuthThrottle.Attempt a = throttle.begin(guesser);
        assertThat(a != null).isEqualTo(admitted);
        if (admitted) {
            assertThat(throttle.lockedUntil(guesser)).isNull();
            assertThat(a.failed()).isEqualTo(Duration.ZERO); // counting starts afresh
            assertThat(throttle.failures(guesser)).isEqualTo(1);
        } else {
            assertThat(throttle.lockedUntil(guesser)).isEqualTo(T0.plus(LOCKOUT));
        }
    }

    @Test
    void failuresFurtherApartThanTheLockoutNeverAddUp() {
        for (int i = 0; i < 3 * LOCKOUT_AFTER; i++) {
            assertThat(fail(guesser)).isEqualTo(Duration.ZERO);
            clock.advance(LOCKOUT.plusSeconds(1));
        }
        assertThat(throttle.failures(guesser)).isEqualTo(1);
        assertThat(throttle.lockedUntil(guesser)).isNull();
    }

    @Test
    void aSuccessClearsTheCount() {
        for (int i = 0; i < LOCKOUT_AFTER - 1; i++) fail(guesser);
        throttle.begin(guesser).succeeded();

        assertThat(throttle.failures(guesser)).isZero();
        assertThat(fail(guesser)).isEqualTo(Duration.ZERO);
    }

    @Test
    void attemptsInFlightCountAgainstTheLimitUntilTheyEnd() {
        AuthThrottle.Attempt[] open = new AuthThrottle.Attempt[LOCKOUT_AFTER];
        for (int i = 0; i < LOCKOUT_AFTER; i++) open[i] = throttle.begin(guesser);
        assertThat(open).doesNotContainNull();
        assertThat(throttle.begin(guesser)).isNull(); // parallel guesses get no more checks than the limit

        open[0].abandoned();
        assertThat(throttle.begin(guesser)).isNotNull();
    }

    private Duration fail(InetAddress address) {
        AuthThrottle.Attempt a = throttle.begin(address);
        assertThat(a).as("admitted").isNotNull();
        return a.failed();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
