package org.mailwright.control;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** What the CLI and the GUI may do with the queue; the same whether the engine runs here, elsewhere or not at all. */
public interface QueueControl {
    List<EnvelopeInfo> list() throws IOException;

    /** The envelopes of an envelope or message id and the message's headers. */
    record Shown(List<EnvelopeInfo> envelopes, String headers) {}

    Optional<Shown> show(String id) throws IOException;

    int delete(String id) throws IOException;

    /** Attempts now; empty id means every envelope. */
    int retry(Optional<String> id) throws IOException;

    int bounce(String id) throws IOException;

    /** Picks up a message that {@code sendmail} committed to the spool. */
    int adopt(String messageId) throws IOException;
}
