package org.mailwright;

import org.mailwright.cli.MailwrightCommand;
import org.mailwright.ui.Gui;

/**
 * Entry point of {@code mailwright.jar}. Not a JavaFX Application on purpose: started from the class path,
 * such a main class fails with "JavaFX runtime components are missing".
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        MailwrightCommand.setNoSubcommand(Gui::run); // the desktop app, or headless when there is no display
        int status = MailwrightCommand.execute(args);
        if (status != 0 || args.length > 0) System.exit(status);
    }
}
