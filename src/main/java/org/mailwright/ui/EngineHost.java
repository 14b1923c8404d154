package org.mailwright.ui;

import java.io.IOException;
import java.nio.file.Path;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.mailwright.Engine;
import org.mailwright.control.ControlClient;

/** The engine inside the app: started and stopped in the background, its state as a property for the views. */
public final class EngineHost {
    public enum State {
        STOPPED("Stopped"), STARTING("Starting…"), RUNNING("Running"), STOPPING("Stopping…"),
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
        work.run("Starting the engine", () -> {
            if (new ControlClient(dataDir).engineRunning()) return null;
            return Engine.start(dataDir);
        }, started -> {
            engine = started;
            state.set(started == null ? State.ELSEWHERE : State.RUNNING);
        }, failed -> {
            state.set(State.FAILED);
            problem.set(failed);
            work.error(failed);
        });
    }

    public void stop() {
        Engine running = engine;
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
