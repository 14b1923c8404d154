package org.mailwright.queue;

/**
 * A delivery that did not happen, local or remote: {@link Outcome#PERMFAIL} bounces, {@link Outcome#TEMPFAIL} is
 * retried. The message is what the maillog's {@code stat=} and the bounce quote.
 */
public final class DeliveryException extends Exception {
    private final Outcome outcome;

    public DeliveryException(Outcome outcome, String message, Throwable cause) {
        super(message, cause);
        if (outcome == Outcome.OK) throw new IllegalArgumentException("a delivery that failed cannot be OK");
        this.outcome = outcome;
    }

    /** A failure quoted as an SMTP reply ({@code "550 5.1.2 ..."}): its code says whether it is for good. */
    public DeliveryException(String reply) {
        this(Outcome.ofRefusal(reply), reply, null);
    }

    /** {@link Outcome#TEMPFAIL} or {@link Outcome#PERMFAIL}. */
    public Outcome outcome() {
        return outcome;
    }
}
