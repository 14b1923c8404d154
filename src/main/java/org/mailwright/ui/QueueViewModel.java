package org.mailwright.ui;

import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mailwright.admin.Admin;
import org.mailwright.control.EnvelopeInfo;
import org.mailwright.control.QueueControl;

/** The queue: what waits, why, and when it is tried next; actions go to the engine in the background. */
public final class QueueViewModel {
    private final AppContext context;
    private final ObservableList<QueueRow> rows = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();

    public QueueViewModel(AppContext context) {
        this.context = context;
    }

    public void refresh() {
        if (busy.get()) return;
        busy.set(true);
        Admin admin = context.admin();
        context.work().run("Reading the queue", () -> admin.queue(QueueControl::list), list -> {
            busy.set(false);
            if (admin != context.admin()) return; // the views moved to another engine meanwhile
            Instant now = Instant.now();
            rows.setAll(list.stream().map(e -> QueueRow.of(e, now)).toList());
            status.set(list.size() + (list.size() == 1 ? " envelope" : " envelopes") + " waiting · refreshed "
                    + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")));
        }, failed -> {
            busy.set(false);
            rows.clear();
            status.set(failed);
        });
    }

    public void retry(String id) {
        act("Retrying " + id, q -> q.retry(Optional.of(id)), n -> "retrying " + n + " envelope(s) now");
    }

    public void bounce(String id) {
        act("Bouncing " + id, q -> q.bounce(id), n -> n + " envelope(s) bounced to the sender");
    }

    public void delete(String id) {
        act("Deleting " + id, q -> q.delete(id), n -> n + " envelope(s) deleted");
    }

    /** "View message": the whole message as queued (its first 256 KiB), with a note when it is longer. */
    public void message(String id, Consumer<String> shown) {
        Admin admin = context.admin();
        context.work().run("Reading " + id, () -> admin.queue(q -> q.message(id)), found -> shown.accept(found
                .map(QueueViewModel::messageText).orElse("The envelope " + id + " is no longer in the queue.")));
    }

    static String messageText(QueueControl.Message m) {
        String text = m.text().replace("\r\n", "\n");
        return m.cut() ? text + String.format("%n[The first %,d of %,d bytes; the rest is not shown.]%n", QueueControl.MESSAGE_LIMIT, m.size())
                : text;
    }

    /**
     * The maillog lines of an envelope's attempts (its own id, and its message's connections), read where the
     * engine runs, from a minute before it was queued.
     */
    public void attempts(EnvelopeInfo e, Consumer<List<LogRow>> shown) {
        Admin admin = context.admin();
        Instant since;
        try {
            since = Instant.parse(e.created()).minusSeconds(60);
        } catch (RuntimeException bad) {
            since = null;
        }
        Instant from = since;
        context.work().run("Reading the maillog of " + e.id(), () -> admin.messageLog(e.id(), from).stream().map(LogRow::of)
                .filter(r -> r.id().equals(e.id()) || r.id().equals(e.messageId())).toList(), shown);
    }

    private void act(String what, Admin.QueueAction<Integer> call, java.util.function.IntFunction<String> done) {
        Admin admin = context.admin();
        context.work().run(what, () -> admin.queue(call), n -> {
            status.set(done.apply(n));
            refresh();
        });
    }

    public ObservableList<QueueRow> rows() { return rows; }
    public StringProperty statusProperty() { return status; }
    public BooleanProperty busyProperty() { return busy; }
    List<QueueRow> snapshot() { return List.copyOf(rows); }
}
