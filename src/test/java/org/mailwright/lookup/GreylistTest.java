package org.mailwright.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Greylisting's memory: one triplet's story told as a table, then what a restart keeps. */
class GreylistTest {
    static final Duration DELAY = Duration.ofMinutes(5);
    static final long DAY = 86_400;

    @TempDir Path dir;

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2025-03-01T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** At {@code second} (from the start), an attempt from {@code client}: it must wait {@code waitSeconds} (0: passes). */
    record Step(long second, String client, String from, String to, long waitSeconds, String why) {}

    static final String ALICE = "alice@example.org";
    static final String BOB = "bob@example.org";
    static final String SENDER = "news@remote.test";

    static final List<Step> STORY = List.of(
            new Step(0, "192.0.2.10", SENDER, ALICE, 300, "the first attempt of an unknown triplet waits the delay"),
            new Step(60, "192.0.2.10", SENDER, ALICE, 240, "a retry too early waits the rest; the clock does not restart"),
            new Step(299, "192.0.2.77", SENDER, ALICE, 1, "another host of the same /24 is the same triplet"),
            new Step(300, "198.51.100.1", SENDER, ALICE, 300, "another network is another triplet"),
            new Step(301, "192.0.2.10", "NEWS@remote.test", "Alice@Example.org", 0, "a retry after the delay passes (case does not matter)"),
            new Step(302, "192.0.2.200", SENDER, ALICE, 0, "and the triplet passes at once from then on"),
            new Step(400, "192.0.2.10", SENDER, BOB, 300, "another recipient is another triplet"),
            new Step(400, "192.0.2.10", "", ALICE, 300, "so is the null sender"),
            new Step(400 + DAY + 1, "192.0.2.10", SENDER, BOB, 300, "a first attempt never retried within a day is forgotten"),
            new Step(10 * DAY, "192.0.2.10", SENDER, ALICE, 0, "a triplet that passed is remembered"),
            new Step(40 * DAY + 1, "192.0.2.10", SENDER, ALICE, 300, "until 30 days after it was last seen"),
            new Step(40 * DAY + 2, "2001:db8:1:2::5", SENDER, ALICE, 300, "IPv6: a network of its own"),
            new Step(40 * DAY + 400, "2001:db8:1:2:ffff::9", SENDER, ALICE, 0, "the same /64 retrying from another address passes"),
            new Step(40 * DAY + 401, "2001:db8:1:3::5", SENDER, ALICE, 300, "the next /64 is another network"));

    @Test
    void aTripletWaitsOncePassesAndIsRememberedForAWhile() throws Exception {
        TestClock clock = new TestClock();
        Instant start = clock.now;
        Greylist g = Greylist.load(dir, clock);
        for (Step s : STORY) {
            clock.now = start.plusSeconds(s.second());
            Duration wait = g.check(InetAddress.getByName(s.client()), s.from(), s.to(), DELAY);
            assertThat(wait).as("%s (second %d, %s <%s> → <%s>)", s.why(), s.second(), s.client(), s.from(), s.to())
                    .isEqualTo(Duration.ofSeconds(s.waitSeconds()));
        }
    }

    @Test
    void networksAreSlash24AndSlash64() throws Exception {
        assertThat(Greylist.network(InetAddress.getByName("192.0.2.77"))).isEqualTo("192.0.2.0/24");
        assertThat(Greylist.network(InetAddress.getByName("2001:db8:1:2:3:4:5:6"))).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(Greylist.network(InetAddress.getByName("::ffff:192.0.2.9"))).isEqualTo("192.0.2.0/24");
    }

    @Test
    void aRestartRemembersWhoWasDeferredAndWhoPassed() throws Exception {
        TestClock clock = new TestClock();
        InetAddress client = InetAddress.getByName("192.0.2.10");
        Greylist before = Greylist.load(dir, clock);
        assertThat(before.check(client, SENDER, ALICE, DELAY)).isEqualTo(DELAY);
        assertThat(before.check(client, SENDER, BOB, DELAY)).isEqualTo(DELAY);
        clock.now = clock.now.plus(DELAY);
        assertThat(before.check(client, SENDER, BOB, DELAY)).isZero();
        before.save();
        String file = Files.readString(dir.resolve(Greylist.FILE_NAME));
        assertThat(file).contains("192.0.2.0/24\tnews@remote.test\talice@example.org\t");
        Files.writeString(dir.resolve(Greylist.FILE_NAME), file + "damaged line\n1.2.3.0/24\ta\tb\tnot-a-number\t-\n");

        clock.now = clock.now.plusSeconds(1);
        Greylist after = Greylist.load(dir, clock);
        assertThat(after.size()).as("the two triplets, without the damaged lines").isEqualTo(2);
        assertThat(after.check(client, SENDER, ALICE, DELAY)).as("deferred before the restart, retried after it").isZero();
        assertThat(after.check(client, SENDER, BOB, DELAY)).as("passed before the restart").isZero();

        clock.now = clock.now.plus(Duration.ofDays(31));
        after.save();
        assertThat(Greylist.load(dir, clock).size()).as("expired triplets are not written").isZero();
    }

    @Test
    void savingWithNothingChangedWritesNothing() throws Exception {
        Greylist.load(dir, new TestClock()).save();
        assertThat(dir.resolve(Greylist.FILE_NAME)).doesNotExist();
    }
}
