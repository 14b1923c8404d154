package org.mailwright.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.mailwright.admin.Admin;

/**
 * What the Users and Aliases views share: their data read through {@link AppContext#admin()} off the FX thread (and
 * read again when the window switches between this computer and a server), one status line in which every action
 * says what it did or, in words, why it failed, and which engine it is. A result that arrives after the admin
 * changed is dropped.
 *
 * @param <T> what one read gives
 */
final class AdminData<T> {
    /** One read of the engine's data (runs off the FX thread). */
    interface Read<T> {
        T from(Admin admin) throws Exception;
    }

    /** One administrative operation (runs off the FX thread). */
    interface Operation<R> {
        R on(Admin admin) throws Exception;
    }

    /** One administrative operation with nothing to say but that it worked. */
    interface Change {
        void on(Admin admin) throws Exception;
    }

    private final AppContext context;
    private final String reading;
    private final Read<T> read;
    private final Consumer<T> show;
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty where = new SimpleStringProperty("");

    /** {@code show} puts a read into the view model (on the FX thread); null means "nothing read yet". */
    AdminData(AppContext context, String reading, Read<T> read, Consumer<T> show) {
        this.context = context;
        this.reading = reading;
        this.read = read;
        this.show = show;
        context.adminProperty().addListener((o, was, now) -> {
            show.accept(null);
            status.set("");
            refresh();
        });
    }

    void refresh() {
        Admin admin = context.admin();
        where.set(context.remote() ? "On " + context.remoteProperty().get().name() : "On this computer");
        context.work().run(reading, () -> read.from(admin), data -> {
            if (admin == context.admin()) show.accept(data);
        }, failed -> {
            if (admin == context.admin()) status.set(failed);
        });
    }

    /**
     * Runs {@code operation}: the status line says {@code doing…} meanwhile, then what {@code done} makes of the
     * result (and the data is read again), or why it failed.
     */
    <R> void act(String doing, Operation<R> operation, Function<R, String> done) {
        Admin admin = context.admin();
        status.set(doing + "…");
        context.work().run(doing, () -> {
            synchronized (this) { // one at a time: each operation reads the file the one before wrote
                return operation.on(admin);
            }
        }, result -> {
            status.set(done.apply(result));
            refresh();
        }, status::set);
    }

    /** {@link #act(String, Operation, Function)} for an operation whose status afterwards is always {@code done}. */
    void act(String doing, Change change, String done) {
        act(doing, admin -> {
            change.on(admin);
            return null;
        }, ok -> done);
    }

    /** A list-valued configuration key ({@code domains}) as strings. */
    static List<String> configList(Admin admin, String key) {
        List<String> out = new ArrayList<>();
        if (admin.configGet(key).value() instanceof List<?> list) list.forEach(v -> out.add(String.valueOf(v)));
        return out;
    }

    StringProperty status() {
        return status;
    }

    /** Which engine's data this is: "On this computer" or "On USER@HOST". */
    StringProperty where() {
        return where;
    }
}
