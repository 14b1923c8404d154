package org.mailwright.deploy;

/** A deploy or remote action that could not be done; the message says what happened and what to do. */
public class DeployException extends Exception {
    public DeployException(String message) {
        super(message);
    }

    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The user cancelled; the remote host was left as it was. */
    public static final class Cancelled extends DeployException {
        public Cancelled(String message) {
            super(message);
        }
    }
}
