package org.mailwright.cli;

/** A command that could not do its work: one line on stderr saying what and what to do, exit status 1. */
public final class Failure extends RuntimeException {
    public Failure(String message) {
        super(message);
    }

    public Failure(String message, Throwable cause) {
        super(message, cause);
    }
}
