package org.mailwright.ui;

import java.nio.file.Path;
import javafx.application.Application;
/**
 * {@code mailwright} with no subcommand and a display: the desktop app. Without a display {@code org.mailwright.Main}
 * starts the engine headless instead, so the UI needs nothing from the CLI.
 */
public final class Gui {
    private Gui() {}

    public static int run(Path dataDir) {
        MailwrightApp.launchDataDir = dataDir;
        try {
            Application.launch(MailwrightApp.class); // returns when the last window closes; the engine is stopped by then
            System.exit(0); // no stray non-daemon thread may keep a windowless JVM alive
            return 0;
        } catch (RuntimeException | Error e) {
            org.mailwright.log.Stderr.warn("the window could not open (" + BackgroundWork.describe(e)
                    + ") — on Debian install libgtk-3-0, or run `mailwright serve` for the headless engine");
            return 1;
        }
    }

    /** X11, Wayland, or JavaFX's headless Monocle platform (tests). */
    public static boolean displayAvailable() {
        if ("Monocle".equalsIgnoreCase(System.getProperty("glass.platform"))) return true;
        return notBlank(System.getenv("DISPLAY")) || notBlank(System.getenv("WAYLAND_DISPLAY"));
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
