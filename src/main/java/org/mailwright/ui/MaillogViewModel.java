package org.mailwright.ui;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The live maillog: lines parsed on the tail's thread, appended in batches on the FX thread (at most one
 * pending {@code runLater} at a time), filtered by free text and a quick filter, plus today's counters.
 */
public final class MaillogViewModel implements AutoCloseable {
    /** Quick filters above the table. */
    public enum Quick {
        ALL("All"), DELIVERIES("Deliveries"), FAILURES("Failures"), AUTH("Auth");
        public final String words;
        Quick(String words) { this.words = words; }
        @Override public String toString() { return words; }
    }

    /** Older lines are dropped beyond this, so a busy server's log cannot eat the memory. */
    static final int MAX_ROWS = 500_000;
    /** Rows added per FX pulse: big enough for a 200k-line file to load in a few pulses, small enough to stay smooth. */
    static final int BATCH = 10_000;

    private final Path file;
    private final ObservableList<LogRow> rows = FXCollections.observableArrayList();
    private final FilteredList<LogRow> visible = new FilteredList<>(rows);
    private final StringProperty filterText = new SimpleStringProperty("");
    private final ObjectProperty<Quick> quick = new SimpleObjectProperty<>(Quick.ALL);
    private final BooleanProperty follow = new SimpleBooleanProperty(true);
    private final IntegerProperty received = new SimpleIntegerProperty();
    private final IntegerProperty delivered = new SimpleIntegerProperty();
    private final IntegerProperty deferred = new SimpleIntegerProperty();
    private final IntegerProperty bounced = new SimpleIntegerProperty();
    private final IntegerProperty authFailures = new SimpleIntegerProperty();
    private final IntegerProperty total = new SimpleIntegerProperty();
    private final ConcurrentLinkedQueue<LogRow> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private TodayCounters today = new TodayCounters(ZoneId.systemDefault(), LocalDate.now());
    private volatile int[] counts = new int[5];
    private final List<Runnable> appendListeners = new ArrayList<>();
    private MaillogTail tail;
    /** The remote maillog being followed instead of the local file, or null. */
    private org.mailwright.deploy.MaillogTail remoteTail;
    /** Bumped on every switch of source, so lines still in flight from the old source are dropped. */
    private volatile int generation;

    public MaillogViewModel(Path file) {
        this.file = file;
        filterText.addListener((o, a, b) -> refilter());
        quick.addListener((o, a, b) -> refilter());
    }

    public void start() {
        if (tail == null) {
            int gen = generation;
            tail = new MaillogTail(file, lines -> accept(gen, lines)).start();
        }
    }

    /**
     * Shows a remote engine's maillog instead of the local one (call on the FX thread): the last {@code backlog}
     * lines, then every new one as the remote {@code tail -F} sends it.
     */
    public void showRemote(org.mailwright.deploy.RemoteAttach remote, int backlog) throws java.io.IOException {
        int gen = reset();
        remoteTail = remote.tailMaillog(backlog, line -> accept(gen, List.of(line)));
    }

    /** Back to the local maillog file (call on the FX thread). */
    public void showLocal() {
        reset();
        start();
    }

    /** Stops whichever tail runs and empties the table and counters; returns the new source's generation. */
    private int reset() {
        stopTails();
        synchronized (pending) {
            generation++;
            pending.clear();
            today = new TodayCounters(ZoneId.systemDefault(), LocalDate.now());
            counts = new int[5];
        }
        rows.clear();
        total.set(0);
        received.set(0);
        delivered.set(0);
        deferred.set(0);
        bounced.set(0);
        authFailures.set(0);
        return generation;
    }

    private void stopTails() {
        if (tail != null) tail.close();
        tail = null;
        if (remoteTail != null) {
            try {
                remoteTail.close();
            } catch (java.io.IOException e) {
                // the SSH channel is gone already: nothing left to stop
            }
        }
        remoteTail = null;
    }

    /** Called on the tail's thread with new lines. */
    void accept(List<String> lines) {
        accept(generation, lines);
    }

    private void accept(int gen, List<String> lines) {
        synchronized (pending) {
            if (gen != generation) return; // from a source no longer shown
            acceptCurrent(lines);
        }
        if (drainScheduled.compareAndSet(false, true)) Platform.runLater(this::drain);
    }

    private void acceptCurrent(List<String> lines) {
        LocalDate day = LocalDate.now();
        for (String line : lines) {
            if (line.isBlank()) continue;
            LogRow row = LogRow.of(line);
            today.count(row, day);
            pending.add(row);
        }
        counts = new int[] {today.received, today.delivered, today.deferred, today.bounced, today.authFailures};
    }

    private void drain() {
        drainScheduled.set(false);
        List<LogRow> batch = new ArrayList<>(Math.min(BATCH, 1024));
        LogRow r;
        while (batch.size() < BATCH && (r = pending.poll()) != null) batch.add(r);
        if (!pending.isEmpty() && drainScheduled.compareAndSet(false, true)) Platform.runLater(this::drain);
        if (batch.isEmpty()) return;
        int overflow = rows.size() + batch.size() - MAX_ROWS;
        if (overflow > 0) rows.remove(0, Math.min(overflow, rows.size()));
        rows.addAll(batch);
        total.set(rows.size());
        int[] c = counts;
        received.set(c[0]);
        delivered.set(c[1]);
        deferred.set(c[2]);
        bounced.set(c[3]);
        authFailures.set(c[4]);
        appendListeners.forEach(Runnable::run);
    }

    private void refilter() {
        String needle = filterText.get() == null ? "" : filterText.get().strip().toLowerCase(Locale.ROOT);
        Quick q = quick.get();
        Predicate<LogRow> p = switch (q) {
            case ALL -> row -> true;
            case DELIVERIES -> LogRow::isDelivery;
            case FAILURES -> LogRow::isFailure;
            case AUTH -> LogRow::isAuth;
        };
        visible.setPredicate(needle.isEmpty() && q == Quick.ALL ? null : p.and(row -> row.contains(needle)));
    }

    /** The whole story of a session or message id, from every loaded line. */
    public List<LogRow> story(String id) {
        return Story.of(rows, id);
    }

    /** Runs after each appended batch (the view scrolls to the end while following). */
    public void onAppend(Runnable r) {
        appendListeners.add(r);
    }

    public ObservableList<LogRow> rows() { return rows; }
    public FilteredList<LogRow> visible() { return visible; }
    public StringProperty filterTextProperty() { return filterText; }
    public ObjectProperty<Quick> quickProperty() { return quick; }
    public BooleanProperty followProperty() { return follow; }
    public IntegerProperty receivedProperty() { return received; }
    public IntegerProperty deliveredProperty() { return delivered; }
    public IntegerProperty deferredProperty() { return deferred; }
    public IntegerProperty bouncedProperty() { return bounced; }
    public IntegerProperty authFailuresProperty() { return authFailures; }
    public IntegerProperty totalProperty() { return total; }
    public Path file() { return file; }

    @Override
    public void close() {
        stopTails();
    }
}
