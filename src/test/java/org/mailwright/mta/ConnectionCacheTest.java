package org.mailwright.mta;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Idle connections kept per host: reused while fresh, quit when idle too long, used too often, or one too many. */
class ConnectionCacheTest {
    private static final Duration MAX_IDLE = Duration.ofSeconds(30);
    private static final String MX = "mx|mx.one.example|192.0.2.1:25";

    private final List<ConnectionCache<Connection>> caches = new ArrayList<>();

    /** A connection whose idle time and use the test sets. */
    static final class Connection implements ConnectionCache.Reusable {
        boolean open = true;
        boolean quit;
        long idleNanos;
        int transactions = 1;

        Connection idleFor(Duration d) {
            idleNanos = d.toNanos();
            return this;
        }

        @Override public boolean isOpen() { return open; }
        @Override public long idleNanos() { return idleNanos; }
        @Override public int transactions() { return transactions; }
        @Override public void quit() { quit = true; open = false; }
    }

    private ConnectionCache<Connection> cache(int maxPerHost, int maxTransactions) {
        ConnectionCache<Connection> c = new ConnectionCache<>(MAX_IDLE, maxPerHost, maxTransactions);
        caches.add(c);
        return c;
    }

    @AfterEach
    void close() {
        caches.forEach(ConnectionCache::close);
    }

    @Test
    void aConnectionGivenBackIsTakenForTheSameHostOnly() {
        ConnectionCache<Connection> cache = cache(4, 100);
        Connection c = new Connection();
        cache.give(MX, c);

        assertThat(cache.take("mx|mx.two.example|192.0.2.2:25")).isNull();
        assertThat(cache.take("smarthost|mx.one.example|192.0.2.1:25")).isNull();
        assertThat(cache.take(MX)).isSameAs(c);
        assertThat(cache.take(MX)).isNull(); // taken means in use: nobody else gets it
        assertThat(c.quit).isFalse();
    }

    @Test
    void theMostRecentlyUsedIsTakenFirst() {
        ConnectionCache<Connection> cache = cache(4, 100);
        Connection older = new Connection();
        Connection newer = new Connection();
        cache.give(MX, older);
        cache.give(MX, newer);

        assertThat(cache.take(MX)).isSameAs(newer);
        assertThat(cache.take(MX)).isSameAs(older);
    }

    @ParameterizedTest(name = "idle {0}s of 30s: reused {1}")
    @CsvSource({"0,true", "29,true", "30,false", "31,false", "3600,false"})
    void aConnectionIdleTooLongIsQuitInsteadOfReused(long idleSeconds, boolean reused) {
        ConnectionCache<Connection> cache = cache(4, 100);
        Connection c = new Connection();
        cache.give(MX, c);
        c.idleFor(Duration.ofSeconds(idleSeconds));

        assertThat(cache.take(MX)).isEqualTo(reused ? c : null);
        assertThat(c.quit).isEqualTo(!reused);
    }

    @Test
    void aConnectionThePeerClosedIsNotReused() {
        ConnectionCache<Connection> cache = cache(4, 100);
        Connection closed = new Connection();
        Connection fresh = new Connection();
        cache.give(MX, fresh);
        cache.give(MX, closed);
        closed.open = false;

        assertThat(cache.take(MX)).isSameAs(fresh);
        assertThat(closed.quit).isTrue();
    }

    @ParameterizedTest(name = "at most {0} per host, {1} given back: {2} quit")
    @CsvSource({"1,1,0", "1,2,1", "2,2,0", "2,5,3", "16,17,1"})
    void atMostSoManyWaitPerHostAndTheOldestGoes(int maxPerHost, int given, int quit) {
        ConnectionCache<Connection> cache = cache(maxPerHost, 100);
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < given; i++) {
            Connection c = new Connection();
            all.add(c);
            cache.give(MX, c);
        }
        assertThat(all.stream().filter(c -> c.quit).count()).isEqualTo(quit);
        assertThat(all.subList(0, quit)).allMatch(c -> c.quit); // the oldest ones
        cache.give("mx|mx.two.example|192.0.2.2:25", new Connection());
        assertThat(all.stream().filter(c -> c.quit).count()).as("another host has its own limit").isEqualTo(quit);
    }

    @ParameterizedTest(name = "{0} transactions of at most {1}: kept {2}")
    @CsvSource({"1,100,true", "99,100,true", "100,100,false", "101,100,false", "1,1,false"})
    void aConnectionUsedForEnoughTransactionsIsQuit(int transactions, int maxTransactions, boolean kept) {
        ConnectionCache<Connection> cache = cache(4, maxTransactions);
        Connection c = new Connection();
        c.transactions = transactions;
        cache.give(MX, c);

        assertThat(c.quit).isEqualTo(!kept);
        assertThat(cache.take(MX)).isEqualTo(kept ? c : null);
    }

    @Test
    void theSweepQuitsTheIdleOnesAndKeepsTheRest() {
        ConnectionCache<Connection> cache = cache(4, 100);
        Connection stale = new Connection();
        Connection fresh = new Connection();
        cache.give(MX, stale);
        cache.give("mx|mx.two.example|192.0.2.2:25", fresh);
        stale.idleFor(MAX_IDLE);

        cache.closeIdle();
        assertThat(stale.quit).isTrue();
        assertThat(fresh.quit).isFalse();
        assertThat(cache.take("mx|mx.two.example|192.0.2.2:25")).isSameAs(fresh);
    }

    @Test
    void closingQuitsEveryIdleConnection() {
        ConnectionCache<Connection> cache = cache(4, 100);
        Connection a = new Connection();
        Connection b = new Connection();
        cache.give(MX, a);
        cache.give("mx|mx.two.example|192.0.2.2:25", b);

        cache.close();
        assertThat(a.quit).isTrue();
        assertThat(b.quit).isTrue();
        assertThat(cache.take(MX)).isNull();
    }
}
