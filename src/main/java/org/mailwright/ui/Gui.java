package org.mailwright.ui;

import java.nio.file.Path;
import javafx.application.Application;
import org.mailwright.cli.FirstRun;

/**
 * {@code mailwright} with no subcommand: the desktop app when there is a display; without one, the engine
 * headless on a first-run data directory ({@link FirstRun}), since a JavaFX window cannot open.
 */
public final class Gui {
    private Gui() {}

    public static int run(Path dataDir) {
        if (!displayAvailable()) {
            System.err.println("mailwright: no display (DISPLAY and WAYLAND_DISPLAY are unset), so no window: "
                    + "running the engine headless instead — `mailwright serve` does the same");
            return FirstRun.run(dataDir);
        }
        MailwrightApp.launchDataDir = dataDir;
        try {
            Application.launch(MailwrightApp.class); // returns when the last window closes; the engine is stopped by then
            System.exit(0); // no stray non-daemon thread may keep a windowless JVM alive
            return 0;
        } catch (RuntimeException | Error e) {
            System.err.println("mailwright: the window could not open (" + BackgroundWork.describe(e)
                    + ") — on Debian install libgtk-3-0, or run `mailwright serve` for the headless engine");
            return 1;
        }
    }

    /** X11, Wayland, or JavaFX's headless Monocle platform (tests). */
    static boolean displayAvailable() {
        if ("Monocle".equalsIgnoreCase(System.getProperty("glass.platform"))) return true;
        return notBlank(System.getenv("DISPLAY")) || notBlank(System.getenv("WAYLAND_DISPLAY"));
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
