package org.mailwright.log;

/**
 * The engine's one way to the operator when the maillog cannot say it (the log itself failing, a damaged file
 * found at start): one line on stderr, which the service manager keeps. The faces (cli, ui) print their own.
 */
public final class Stderr {
    private Stderr() {}

    /** Prints {@code mailwright: MESSAGE}. */
    public static void warn(String message) {
        System.err.println("mailwright: " + message);
    }
}
