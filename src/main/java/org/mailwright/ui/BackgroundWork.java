package org.mailwright.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.concurrent.Task;
import org.mailwright.config.ConfigException;

/** Runs long work in {@link Task}s off the FX thread; results and errors come back on the FX thread. */
public final class BackgroundWork {
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mailwright-ui-work");
        t.setDaemon(true);
        return t;
    });
    private volatile Consumer<String> errors = org.mailwright.log.Stderr::warn; // until a window shows them

    /** Where failures are shown (the main window puts up a dialog). */
    public void onError(Consumer<String> errors) {
        this.errors = errors;
    }

    public <T> Task<T> run(String what, Callable<T> work, Consumer<T> done) {
        return run(what, work, done, null);
    }

    /** Runs {@code work} in a Task; {@code done} gets the result, {@code failed} (or the error dialog) the failure. */
    public <T> Task<T> run(String what, Callable<T> work, Consumer<T> done, Consumer<String> failed) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                return work.call();
            }
        };
        task.setOnSucceeded(e -> {
            try {
                if (done != null) done.accept(task.getValue());
            } catch (RuntimeException ex) {
                errors.accept(what + ": " + describe(ex)); // shown in the window, not lost on the FX thread
            }
        });
        task.setOnFailed(e -> {
            String message = what + ": " + describe(task.getException());
            if (failed != null) failed.accept(message);
            else errors.accept(message);
        });
        executor.execute(task);
        return task;
    }

    /** Shows an error from any thread. */
    public void error(String message) {
        if (Platform.isFxApplicationThread()) errors.accept(message);
        else Platform.runLater(() -> errors.accept(message));
    }

    /** Words for the user, never a stack trace. */
    public static String describe(Throwable t) {
        if (t instanceof ConfigException c) return String.join("\n", c.problems());
        if (t == null) return "unknown error";
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
