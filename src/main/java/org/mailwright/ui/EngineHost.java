package org.mailwright.ui;

import java.io.IOException;
import java.nio.file.Path;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import java.util.Optional;
import java.util.function.Consumer;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import org.mailwright.control.ControlClient;
import org.mailwright.io.DurableFiles;
import org.mailwright.log.Maillog;
import org.mailwright.queue.QueueLock;
import org.mailwright.smtp.ListenerUnavailable;

/** The engine inside the app: started and stopped in the background, its state as a property for the views. */
public final class EngineHost {
    public enum State {
        STOPPED("Stopped"), STARTING("Starting…"), RUNNING("Running"), STOPPING("Stopping…"), RESTARTING("Restarting…"),
        ELSEWHERE("Running in another process"), FAILED("Failed to start");
        public final String words;
        State(String words) { this.words = words; }
    }

    private final Path dataDir;
    private final BackgroundWork work;
    private final ObjectProperty<State> state = new SimpleObjectProperty<>(State.STOPPED);
    private final StringProperty problem = new SimpleStringProperty("");
    private volatile Engine engine;

    public EngineHost(Path dataDir, BackgroundWork work) {
        this.dataDir = dataDir;
        this.work = work;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state;
    }

    public State state() {
        return state.get();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    /** The engine running in this process, or null. Safe from any thread. */
    public Engine engine() {
        return engine;
    }

    /** Starts the engine unless it runs already (here or as {@code mailwright serve} on the same data directory). */
    public void start() {
        if (engine != null || state.get() == State.STARTING) return;
        state.set(State.STARTING);
        problem.set("");
        work.run("Starting the engine", this::startHere, started -> {
            engine = started;
            state.set(started == null ? State.ELSEWHERE : State.RUNNING);
        }, failed -> {
            state.set(State.FAILED);
            problem.set(failed);
            work.error(failed);
        });
    }

    /**
     * The engine for this data directory: null when one answers already on its control socket, or is starting (it
     * holds the queue lock: attach once it answers, e.g. the one just kept running in the background).
     */
    private Engine startHere() throws Exception {
        ControlClient control = new ControlClient(dataDir);
        if (control.engineRunning()) return null;
        try {
            return Engine.start(dataDir);
        } catch (ListenerUnavailable e) {
            throw new IOException(inSettings(e), e);
        } catch (IOException e) {
            Optional<QueueLock> free = QueueLock.tryAcquire(dataDir);
            if (free.isPresent()) {
                free.get().close();
                throw e;
            }
            for (int i = 0; i < 100 && !control.engineRunning(); i++) Thread.sleep(100);
            if (control.engineRunning()) return null;
            throw e;
        }
    }

    /**
     * "Keep it running in the background": the engine here stops and {@code mailwright serve} takes over as its own
     * process ({@link BackgroundEngine}), which outlives the app; connections are refused only while it starts (a
     * second or two; senders retry). If it does not come up, the engine starts here again and {@code failed} says why.
     */
    public void handOver(Runnable done, Consumer<String> failed) {
        Engine running = engine;
        if (running == null) throw new IllegalStateException("no engine runs in this process");
        state.set(State.STOPPING);
        work.run("Keeping the mail server running in the background", () -> {
            running.close();
            engine = null;
            try {
                BackgroundEngine.start(dataDir);
                return null;
            } catch (IOException e) {
                engine = Engine.start(dataDir); // back to serving from here
                throw e;
            }
        }, none -> {
            state.set(State.ELSEWHERE);
            done.run();
        }, reason -> {
            state.set(engine != null ? State.RUNNING : State.FAILED);
            failed.accept(reason);
        });
    }

    /**
     * What a restart did: {@code listener} is the Settings row to fix (from 0) or -1, {@code reason} why it cannot
     * listen (its port, or its address for {@code ADDRESS}), null when no listener is to blame.
     */
    public record Restart(boolean restarted, String message, int listener, ListenerUnavailable.Reason reason) {
        static Restart blaming(boolean restarted, String message, ListenerUnavailable blamed) {
            return new Restart(restarted, message, blamed == null ? -1 : blamed.index(), blamed == null ? null : blamed.reason());
        }
    }

    /**
     * Restarts the engine in this process on mailwright.conf as it is now, without risking the running one. Before
     * anything stops, the file is loaded and every listener the running engine does not hold already is bound once;
     * if one cannot be, nothing stops ({@code control restart-refused}). If the new engine then fails to start
     * anyway, the old configuration starts again ({@code control restart-failed}). In both cases mailwright.conf
     * gets {@code previous} back (its text before the change; null: leave it). Call on the FX thread while running.
     */
    public void restart(String previous, Consumer<Restart> done) {
        Engine running = engine;
        if (running == null || state.get() != State.RUNNING) throw new IllegalStateException("no engine runs in this process");
        state.set(State.RESTARTING);
        problem.set("");
        work.run("Restarting the engine", () -> restartNow(running, previous), r -> {
            state.set(engine != null ? State.RUNNING : State.FAILED);
            if (engine == null) problem.set(r.message());
            done.accept(r);
        }, failed -> {
            state.set(engine != null ? State.RUNNING : State.FAILED);
            done.accept(Restart.blaming(false, failed, null));
        });
    }

    private Restart restartNow(Engine running, String previous) throws IOException {
        String refused;
        ListenerUnavailable taken = null;
        try {
            Config next = ConfigLoader.load(dataDir);
            taken = ListenerUnavailable.firstUnbindable(next.listeners(), running.listeners()).orElse(null);
            refused = taken == null ? null : inSettings(taken);
        } catch (ConfigException e) {
            refused = String.join("; ", e.problems());
        }
        if (refused != null) {
            restore(previous);
            running.log().event("-", "control", "restart-refused", "reason", refused);
            try {
                running.reloadConfig(); // the live settings of the refused change go back too
            } catch (ConfigException | IOException e) {
                running.log().event("-", "control", "reload-failed", "error", BackgroundWork.describe(e));
            }
            return Restart.blaming(false, "Not restarted: " + refused + ". Nothing was changed: the engine keeps "
                    + "running with the settings it had.", taken);
        }
        running.close();
        engine = null;
        try {
            engine = Engine.start(dataDir);
            return Restart.blaming(true, "", null);
        } catch (ConfigException | IOException e) {
            ListenerUnavailable blamed = e instanceof ListenerUnavailable u ? u : null;
            String reason = blamed != null ? inSettings(blamed) : BackgroundWork.describe(e);
            restore(previous);
            try {
                engine = Engine.start(dataDir);
            } catch (ConfigException | IOException again) {
                try (Maillog log = Maillog.open(dataDir)) {
                    log.event("-", "control", "restart-failed", "reason", reason, "previous", BackgroundWork.describe(again));
                }
                return Restart.blaming(false, "The engine did not start with the new settings (" + reason + "), nor with the "
                        + "previous ones: " + BackgroundWork.describe(again), blamed);
            }
            engine.log().event("-", "control", "restart-failed", "reason", reason);
            return Restart.blaming(false, "The new settings did not start: " + reason + ". The engine runs again with "
                    + "the settings it had before.", blamed);
        }
    }

    private void restore(String previous) throws IOException {
        if (previous != null) DurableFiles.write(dataDir.resolve(ConfigLoader.FILE_NAME), previous, false);
    }

    /** A listener that cannot be opened, in the app's words: the Settings field to change, not the file. */
    static String inSettings(ListenerUnavailable e) {
        String listener = "listener " + (e.index() + 1) + " in Settings";
        return e.problem() + switch (e.reason()) {
            case PRIVILEGED -> " — change the port of " + listener + " (e.g. 2525), or run Mailwright as root";
            case IN_USE -> " — change the port of " + listener + ", or stop the program that holds it";
            case ADDRESS -> " — change the address of " + listener + " to one of this computer's";
        };
    }

    /** Stops the engine here, or the one running in the background on this data directory. */
    public void stop() {
        Engine running = engine;
        if (running == null && state.get() == State.ELSEWHERE) {
            state.set(State.STOPPING);
            work.run("Stopping the background engine", () -> {
                BackgroundEngine.stop(dataDir);
                return null;
            }, done -> state.set(State.STOPPED), failed -> {
                state.set(new ControlClient(dataDir).engineRunning() ? State.ELSEWHERE : State.STOPPED);
                work.error(failed);
            });
            return;
        }
        if (running == null) return;
        state.set(State.STOPPING);
        work.run("Stopping the engine", () -> {
            running.close();
            return null;
        }, done -> {
            engine = null;
            state.set(State.STOPPED);
        });
    }

    /** Stops the engine before the app exits (blocks: the window is already gone). */
    public void stopNow() {
        Engine running = engine;
        engine = null;
        if (running == null) return;
        try {
            running.close();
        } catch (IOException e) {
            org.mailwright.log.Stderr.warn("while stopping the engine: " + e.getMessage());
        }
    }

    /** After {@link #stopNow()} from background work: the state follows on the FX thread. */
    public void markStopped() {
        if (engine == null) state.set(State.STOPPED);
    }

    public Path dataDir() {
        return dataDir;
    }
}
