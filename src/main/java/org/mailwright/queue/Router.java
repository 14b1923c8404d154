package org.mailwright.queue;

import java.io.IOException;
import java.util.List;

/** Decides, for mail the engine makes itself (bounces), where a recipient's copy goes: local, relayed, or both. */
@FunctionalInterface
public interface Router {
    /** Empty when the address has no mailbox here and cannot be relayed. */
    List<Spool.Recipient> route(String address) throws IOException;
}
