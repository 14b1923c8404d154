package org.mailwright.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Timers that fire when a {@link TestClock} says they are due, on the test's own thread: {@link #runDue()} runs
 * what is due now (and what that schedules for now), {@link #advanceToNext()} moves the clock to the next timer.
 * A scheduler's hours of retries run in milliseconds, in a fixed order, with nothing left running after the test.
 */
public final class ManualTimers extends AbstractExecutorService implements ScheduledExecutorService {
    private final TestClock clock;
    private final List<Timer> pending = new ArrayList<>();
    private long scheduled;
    private boolean shutdown;

    public ManualTimers(TestClock clock) {
        this.clock = clock;
    }

    private final class Timer implements ScheduledFuture<Object> {
        final Runnable task;
        final Instant due;
        final long order;
        boolean cancelled;
        boolean done;

        Timer(Runnable task, Instant due, long order) {
            this.task = task;
            this.due = due;
            this.order = order;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(clock.instant(), due));
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (ManualTimers.this) {
                if (done || cancelled) return false;
                cancelled = true;
                pending.remove(this);
                return true;
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            if (cancelled) throw new CancellationException();
            if (!done) throw new IllegalStateException("not run yet: move the clock and call runDue()");
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return get();
        }
    }

    /** Runs every timer that is due by the clock, earliest first, until none is; returns how many ran. */
    public int runDue() {
        int ran = 0;
        for (Timer t; (t = takeDue()) != null; ran++) {
            t.task.run();
            t.done = true;
        }
        return ran;
    }

    /** Moves the clock to the earliest timer and runs what is then due; false when no timer is left. */
    public boolean advanceToNext() {
        Optional<Instant> next = nextDue();
        if (next.isEmpty()) return false;
        if (next.get().isAfter(clock.instant())) clock.set(next.get());
        runDue();
        return true;
    }

    public synchronized Optional<Instant> nextDue() {
        return pending.stream().min(ORDER).map(t -> t.due);
    }

    private static final Comparator<Timer> ORDER = Comparator.<Timer, Instant>comparing(t -> t.due).thenComparingLong(t -> t.order);

    private synchronized Timer takeDue() {
        Optional<Timer> first = pending.stream().min(ORDER).filter(t -> !t.due.isAfter(clock.instant()));
        first.ifPresent(pending::remove);
        return first.orElse(null);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (shutdown) throw new RejectedExecutionException("shut down");
        Timer t = new Timer(command, clock.instant().plusNanos(unit.toNanos(Math.max(0, delay))), scheduled++);
        pending.add(t);
        return t;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("only Runnable timers");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("only one-shot timers");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("only one-shot timers");
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = pending.stream().map(t -> t.task).toList();
        pending.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
