package org.mailwright.queue;

import java.io.IOException;

/** Decides, for mail the engine makes itself (bounces), whether a recipient is local or relayed. */
@FunctionalInterface
public interface Router {
    /** Null when the address has no mailbox here and cannot be relayed. */
    Spool.Recipient route(String address) throws IOException;
}
