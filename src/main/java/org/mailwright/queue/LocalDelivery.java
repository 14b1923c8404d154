package org.mailwright.queue;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The local side (mda role): puts a queued message into a local user's mailbox, all or nothing. The queue owns
 * this interface, as it owns {@link Relay} for the mta role, so the queue never depends on a delivery package.
 */
public interface LocalDelivery {

    /** What the scheduler must record before an append can start (mbox crash recovery). */
    interface Journal {
        void beforeAppend(Envelope withOffset) throws IOException;
    }

    /**
     * Delivers the message to the envelope's local user. {@code recovered} is true for envelopes found on
     * disk at start-up: the delivery may already have happened just before a crash and must not happen twice.
     */
    void deliver(Envelope envelope, Path message, boolean recovered, Journal journal) throws DeliveryException;

    /** Where the user's mail is, for messages and tests. */
    Path mailbox(String user);
}
