package org.mailwright.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwright.config.Config;
import org.mailwright.config.Defaults;
import org.mailwright.config.Durations;
import org.mailwright.log.Maillog;
import org.mailwright.mail.Addresses;
import org.mailwright.testing.ManualTimers;
import org.mailwright.testing.TestClock;

/**
 * The scheduler's policy on its own: a real spool in a temporary directory, a relay and a local delivery that
 * record what they were given and answer as each test says, and timers that fire when the test's clock says so.
 * Four days of retries run in milliseconds, in a fixed order.
 */
class SchedulerTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final String LOCAL = "example.org";
    private static final String SENDER = "alice@" + LOCAL;

    @TempDir Path data;
    private final TestClock clock = new TestClock(T0);
    private final ManualTimers timers = new ManualTimers(clock);
    private final RecordingRelay relay = new RecordingRelay();
    private final RecordingDelivery mda = new RecordingDelivery();
    private Spool spool;
    private Maillog log;
    private Scheduler scheduler;

    @BeforeEach
    void start() throws IOException {
        spool = new Spool(data);
        log = Maillog.open(data);
        // Where bounces go: a mailbox per user of the local domain, except nobody@; anything else is relayed.
        Router router = address -> {
            if (!Addresses.domainOf(address).equals(LOCAL)) return List.of(new Spool.Recipient(address, "", Envelope.Action.RELAY));
            String user = Addresses.user(address);
            return user.equals("nobody") ? List.of() : List.of(new Spool.Recipient(address, user, Envelope.Action.DELIVER));
        };
        scheduler = new Scheduler(spool, mda, relay, new Bounces("mx." + LOCAL), router, log, Defaults.queue(), clock, timers);
    }

    @AfterEach
    void stop() throws IOException {
        scheduler.close();
        log.close();
    }

    // --- the retry schedule ---

    @ParameterizedTest(name = "after {0} earlier attempts, wait {1}")
    @CsvSource({"0,5m", "1,10m", "2,20m", "3,40m", "4,1h", "5,2h", "6,4h", "7,4h", "100,4h"})
    void theDefaultScheduleGrowsFromMinutesToHours(int attempts, String wait) {
        assertEquals(Durations.parse(wait), Scheduler.retryDelay(Defaults.queue(), attempts));
    }

    @ParameterizedTest(name = "schedule {0}, after {1} earlier attempts: wait {2}")
    @CsvSource({"30s 1h,0,30s", "30s 1h,1,1h", "30s 1h,9,1h", "2m,0,2m", "2m,5,2m"})
    void aConfiguredScheduleRepeatsItsLastStep(String schedule, int attempts, String wait) {
        Config.Queue policy = Defaults.queue().withRetrySchedule(Arrays.stream(schedule.split(" ")).map(Durations::parse).toList());
        assertEquals(Durations.parse(wait), Scheduler.retryDelay(policy, attempts));
    }

    @ParameterizedTest(name = "{0} that fails for now waits 5m")
    @CsvSource({"bob@remote.example,mta", "carol@example.org,mda"})
    void aTemporaryFailureIsRecordedAndRetriedLater(String to, String role) throws IOException {
        relay.answer("bob@remote.example", Outcome.TEMPFAIL, "451 4.7.1 greylisted");
        mda.fail("carol", Outcome.TEMPFAIL, "cannot write to the mailbox");
        queue(SENDER, to);
        timers.runDue();

        Envelope waiting = single(scheduler.list());
        assertThat(waiting.attempts()).isEqualTo(1);
        assertThat(waiting.nextAttempt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(waiting.lastError()).isEqualTo(role.equals("mta") ? "451 4.7.1 greylisted" : "cannot write to the mailbox");
        assertThat(single(spool.loadAll())).isEqualTo(waiting); // on disk before it takes effect
        assertThat(scheduler.counters().deferred.get()).isEqualTo(1);
        assertThat(mda.delivered).isEmpty(); // no bounce
        assertThat(maillog()).contains(role + " delivery", "to=<" + to + ">", "result=TempFail");
    }

    @Test
    void aTemporaryFailureIsRetriedOnTheScheduleForFourDaysThenBounces() throws IOException {
        relay.answer("bob@remote.example", Outcome.TEMPFAIL, "451 4.4.1 connection refused");
        queue(SENDER, "bob@remote.example");
        for (int i = 0; i < 100 && mda.delivered.isEmpty(); i++) timers.advanceToNext();

        List<Instant> at = relay.attemptTimes;
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < at.size(); i++) gaps.add(Duration.between(at.get(i - 1), at.get(i)));
        assertThat(at.get(0)).isEqualTo(T0);
        assertThat(gaps.subList(0, 8)).containsExactly(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20),
                Duration.ofMinutes(40), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(4));
        assertThat(gaps.subList(6, gaps.size())).containsOnly(Duration.ofHours(4));
        // Tried until the queue lifetime is over, and bounced at the first attempt after it.
        assertThat(at.get(at.size() - 2)).isBeforeOrEqualTo(T0.plus(Duration.ofDays(4)));
        assertThat(at.get(at.size() - 1)).isAfter(T0.plus(Duration.ofDays(4)));

        Delivered bounce = single(mda.delivered);
        assertThat(bounce.envelope().isBounce()).isTrue();
        assertThat(bounce.envelope().to()).isEqualTo(SENDER);
        assertThat(bounce.message()).contains("4.4.7", "expired after 4d", "451 4.4.1 connection refused", "bob@remote.example");
        assertThat(scheduler.list()).isEmpty();
        assertThat(spool.loadAll()).isEmpty();
    }

    // --- expiry ---

    @ParameterizedTest(name = "expire {0}, failing again at age {1}: bounced {2}")
    @CsvSource({"4d,1m,false", "4d,5759m,false", "4d,5760m,false", "4d,5761m,true", "4d,7d,true",
            "1h,59m,false", "1h,61m,true"})
    void aMessageExpiresAfterTheQueueLifetime(String expire, String age, boolean bounced) throws IOException {
        scheduler.policy(Defaults.queue().withExpire(Durations.parse(expire))); // as config.reload sets it
        relay.answer("bob@remote.example", Outcome.TEMPFAIL, "451 4.3.0 try later");
        queue(SENDER, "bob@remote.example");
        timers.runDue();
        clock.set(T0.plus(Durations.parse(age)));
        scheduler.retry(Optional.empty());
        timers.runDue();

        assertThat(relay.attemptTimes).hasSize(2);
        if (bounced) {
            assertThat(scheduler.list()).isEmpty();
            assertThat(single(mda.delivered).message()).contains("expired after " + expire);
            assertThat(scheduler.counters().bounced.get()).isEqualTo(1);
        } else {
            assertThat(single(scheduler.list()).attempts()).isEqualTo(2);
            assertThat(mda.delivered).isEmpty();
        }
    }

    // --- batching ---

    @ParameterizedTest(name = "{0} → transactions {1}")
    @CsvSource(delimiter = '|', value = {
            "a@one.example                              | a@one.example",
            "a@one.example b@one.example c@two.example  | a@one.example b@one.example; c@two.example",
            "a@one.example B@ONE.Example                | a@one.example B@ONE.Example",
            "a@one.example x@example.org b@one.example  | a@one.example b@one.example",
            "a@one.example b@two.example c@three.example| a@one.example; b@two.example; c@three.example"})
    void theRecipientsOfOneMessageGoInOneTransactionPerDomain(String recipients, String transactions) throws IOException {
        queue(SENDER, recipients.split(" "));
        timers.runDue();

        Set<Set<String>> expected = Arrays.stream(transactions.split(";"))
                .map(t -> Set.of(t.trim().split(" "))).collect(Collectors.toSet());
        assertThat(relay.batches.stream().map(Set::copyOf).collect(Collectors.toSet())).isEqualTo(expected);
        assertThat(relay.batches).hasSize(expected.size()); // each recipient sent once
        assertThat(mda.delivered).extracting(d -> d.envelope().to())
                .containsExactlyElementsOf(Arrays.stream(recipients.split(" ")).filter(r -> r.endsWith("@" + LOCAL)).toList());
        assertThat(scheduler.list()).isEmpty();
    }

    @Test
    void twoMessagesToOneDomainAreTwoTransactions() throws IOException {
        queue(SENDER, "a@one.example");
        queue(SENDER, "b@one.example");
        timers.runDue();
        assertThat(relay.batches).containsExactlyInAnyOrder(List.of("a@one.example"), List.of("b@one.example"));
    }

    @Test
    void aDeferredRecipientIsRetriedAloneAndTheDeliveredOneIsNotSentAgain() throws IOException {
        relay.answer("a@one.example", Outcome.TEMPFAIL, "452 4.2.2 mailbox full");
        queue(SENDER, "a@one.example", "b@one.example");
        timers.runDue();
        relay.answer("a@one.example", Outcome.OK, "250 2.0.0 ok");
        timers.advanceToNext();

        assertThat(relay.batches).hasSize(2);
        assertThat(Set.copyOf(relay.batches.get(0))).containsExactlyInAnyOrder("a@one.example", "b@one.example");
        assertThat(relay.batches.get(1)).containsExactly("a@one.example");
        assertThat(relay.attemptTimes.get(1)).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(scheduler.list()).isEmpty();
    }

    // --- permanent failures and bounces ---

    @ParameterizedTest(name = "{0} refused for good: bounced at once")
    @CsvSource(delimiter = '|', value = {
            "bob@remote.example | 550 5.1.1 <bob@remote.example>: no such user",
            "carol@example.org  | 550 5.1.1 mailbox disabled"})
    void aPermanentFailureBouncesAtOnce(String to, String reply) throws IOException {
        relay.answer("bob@remote.example", Outcome.PERMFAIL, "550 5.1.1 <bob@remote.example>: no such user");
        mda.fail("carol", Outcome.PERMFAIL, "mailbox disabled");
        queue(SENDER, to);
        timers.runDue();

        assertThat(clock.instant()).isEqualTo(T0); // no retry was waited for
        Delivered bounce = mda.delivered.stream().filter(d -> d.envelope().isBounce()).collect(single());
        assertThat(bounce.envelope().to()).isEqualTo(SENDER);
        assertThat(bounce.message()).contains("From: Mail Delivery System <MAILER-DAEMON@mx.example.org>",
                "report-type=delivery-status", reply, to);
        assertThat(scheduler.list()).isEmpty();
        assertThat(spool.loadAll()).isEmpty();
        assertThat(scheduler.counters().bounced.get()).isEqualTo(1);
        assertThat(maillog()).contains("to=<" + to + ">", "result=PermFail");
    }

    @Test
    void recipientsRefusedInOneTransactionGetOneBounce() throws IOException {
        relay.answer("a@one.example", Outcome.PERMFAIL, "550 5.1.1 no such user a");
        relay.answer("b@one.example", Outcome.PERMFAIL, "550 5.1.1 no such user b");
        queue(SENDER, "a@one.example", "b@one.example");
        timers.runDue();

        Delivered bounce = single(mda.delivered);
        assertThat(bounce.message()).contains("2 recipients", "no such user a", "no such user b");
    }

    @ParameterizedTest(name = "a bounce that {0} is dropped, not bounced")
    @CsvSource({"fails for good,PERMFAIL,0m", "expires,TEMPFAIL,5761m"})
    void aBounceNeverBounces(String how, Outcome outcome, String age) throws IOException {
        relay.answer("bob@remote.example", outcome, outcome == Outcome.PERMFAIL ? "550 5.1.1 no such user" : "451 4.4.1 unreachable");
        queue("", "bob@remote.example"); // MAIL FROM:<>
        timers.runDue();
        clock.set(T0.plus(Durations.parse(age)));
        scheduler.retry(Optional.empty());
        timers.runDue();

        assertThat(mda.delivered).isEmpty();
        assertThat(relay.batches).allMatch(b -> b.equals(List.of("bob@remote.example")));
        assertThat(scheduler.list()).isEmpty();
        assertThat(spool.loadAll()).isEmpty();
        assertThat(scheduler.counters().bounced.get()).isZero();
        assertThat(maillog()).contains("bounce-dropped", "a bounce is never bounced");
    }

    @Test
    void aFailureForASenderWithoutAMailboxHereIsDropped() throws IOException {
        relay.answer("bob@remote.example", Outcome.PERMFAIL, "550 5.1.1 no such user");
        queue("nobody@" + LOCAL, "bob@remote.example");
        timers.runDue();

        assertThat(mda.delivered).isEmpty();
        assertThat(spool.loadAll()).isEmpty();
        assertThat(maillog()).contains("bounce-dropped", "the sender has no mailbox here");
    }

    // --- helpers ---

    private List<Envelope> queue(String from, String... to) throws IOException {
        try (Spool.Incoming in = spool.receive()) {
            in.stream().write(("From: <" + from + ">\r\nSubject: test\r\n\r\nhello\r\n").getBytes(StandardCharsets.UTF_8));
            List<Spool.Recipient> rcpts = new ArrayList<>();
            for (String t : to) {
                rcpts.add(Addresses.domainOf(t).equals(LOCAL) ? new Spool.Recipient(t, Addresses.user(t), Envelope.Action.DELIVER)
                        : new Spool.Recipient(t, "", Envelope.Action.RELAY));
            }
            List<Envelope> created = in.commit(from, rcpts, clock.instant());
            scheduler.enqueue(created);
            return created;
        }
    }

    private String maillog() throws IOException {
        return Files.readString(log.file());
    }

    private static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    private static <T> java.util.stream.Collector<T, ?, T> single() {
        return Collectors.collectingAndThen(Collectors.toList(), SchedulerTest::single);
    }

    record Delivered(Envelope envelope, String message) {}

    /** Delivers locally by remembering; fails for the users told to. */
    private static final class RecordingDelivery implements LocalDelivery {
        final List<Delivered> delivered = new ArrayList<>();
        private final Map<String, DeliveryException> failing = new HashMap<>();

        void fail(String user, Outcome outcome, String why) {
            failing.put(user, new DeliveryException(outcome, why, null));
        }

        @Override
        public void deliver(Envelope envelope, Path message, boolean recovered, Journal journal) throws DeliveryException {
            DeliveryException failure = failing.get(envelope.localUser());
            if (failure != null) throw failure;
            try {
                delivered.add(new Delivered(envelope, Files.readString(message, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new DeliveryException(Outcome.TEMPFAIL, e.getMessage(), e);
            }
        }

        @Override
        public Path mailbox(String user) {
            return Path.of("unused", user);
        }
    }

    /** Relays by remembering each transaction's recipients; answers 250 unless told otherwise per recipient. */
    private final class RecordingRelay implements Relay {
        final List<List<String>> batches = new ArrayList<>();
        final List<Instant> attemptTimes = new ArrayList<>();
        private final Map<String, Result> answers = new HashMap<>();

        void answer(String to, Outcome outcome, String stat) {
            answers.put(to, new Result(null, outcome, stat, "mx.remote.example[192.0.2.1]"));
        }

        @Override
        public List<Result> send(List<Envelope> envelopes, Path message) {
            batches.add(envelopes.stream().map(Envelope::to).toList());
            attemptTimes.add(clock.instant());
            List<Result> results = new ArrayList<>();
            for (Envelope e : envelopes) {
                Result r = answers.getOrDefault(e.to(), new Result(null, Outcome.OK, "250 2.0.0 queued", "mx.remote.example[192.0.2.1]"));
                results.add(new Result(e, r.outcome(), r.stat(), r.relay()));
            }
            return results;
        }
    }
}
