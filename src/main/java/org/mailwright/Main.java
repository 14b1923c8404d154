package org.mailwright;

import org.mailwright.cli.MailwrightCommand;

/**
 * Entry point of {@code mailwright.jar}. Not a JavaFX Application on purpose: started from the class path,
 * such a main class fails with "JavaFX runtime components are missing".
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int status = MailwrightCommand.execute(args);
        if (status != 0 || args.length > 0) System.exit(status);
    }
}
