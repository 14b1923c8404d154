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
        context.work().run("Reading the queue", () -> context.queue(QueueControl::list), list -> {
            busy.set(false);
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

    /** The envelope's message headers, for "View message". */
    public void show(String id, Consumer<String> shown) {
        context.work().run("Reading " + id, () -> context.queue(q -> q.show(id)), found -> shown.accept(found
                .map(QueueControl.Shown::headers).orElse("The envelope " + id + " is no longer in the queue.")));
    }

    private void act(String what, AppContext.QueueCall<Integer> call, java.util.function.IntFunction<String> done) {
        context.work().run(what, () -> context.queue(call), n -> {
            status.set(done.apply(n));
            refresh();
        });
    }

    public ObservableList<QueueRow> rows() { return rows; }
    public StringProperty statusProperty() { return status; }
    public BooleanProperty busyProperty() { return busy; }
    List<QueueRow> snapshot() { return List.copyOf(rows); }
}
