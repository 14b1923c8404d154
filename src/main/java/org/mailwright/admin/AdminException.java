package org.mailwright.admin;

/**
 * An administrative operation that could not be done, with one line saying what and what to do. The CLI prints it
 * as {@code mailwright: MESSAGE} and exits 1; the GUI shows it. The same text whether the engine is local or remote.
 */
public final class AdminException extends RuntimeException {
    public AdminException(String message) {
        super(message);
    }

    public AdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
