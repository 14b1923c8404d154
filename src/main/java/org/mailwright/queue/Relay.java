package org.mailwright.queue;

import java.nio.file.Path;
import java.util.List;

/** The outbound side (mta role): sends a message to remote recipients, one result per envelope. */
public interface Relay {

    /** What happened to one recipient: the peer's own reply in {@code stat}, and where it was sent. */
    record Result(Envelope envelope, Outcome outcome, String stat, String relay) {}

    /** Envelopes of one message for one domain; returns one result for each. */
    List<Result> send(List<Envelope> envelopes, Path message);
}
