package org.mailwright.queue;

/** A delivery that did not happen; {@code permanent} failures bounce, the others are retried. */
public final class DeliveryException extends Exception {
    private final boolean permanent;

    public DeliveryException(boolean permanent, String message, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
