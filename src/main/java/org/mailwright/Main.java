package org.mailwright;

import java.nio.file.Path;
import org.mailwright.cli.FirstRun;
import org.mailwright.cli.MailwrightCommand;
import org.mailwright.ui.Gui;

/**
 * Entry point of {@code mailwright.jar}: the one place that knows both faces. With a subcommand it runs headless
 * (picocli); with none it opens the desktop app when there is a display, else runs the engine headless on a
 * first-run data directory ({@link FirstRun}), since a window cannot open. Not a JavaFX Application on purpose:
 * started from the class path, such a main class fails with "JavaFX runtime components are missing".
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        MailwrightCommand.setNoSubcommand(Main::noSubcommand);
        int status = MailwrightCommand.execute(args);
        if (status != 0 || args.length > 0) System.exit(status);
    }

    static int noSubcommand(Path dataDir) {
        if (Gui.displayAvailable()) return Gui.run(dataDir);
        System.err.println("mailwright: no display (DISPLAY and WAYLAND_DISPLAY are unset), so no window: "
                + "running the engine headless instead — `mailwright serve` does the same");
        return FirstRun.run(dataDir);
    }
}
