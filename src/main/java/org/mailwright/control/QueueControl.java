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

    /** How much of a message {@link #message} returns: enough to read any text mail, bounded for a big attachment. */
    int MESSAGE_LIMIT = 256 * 1024;

    /** A queued message as stored (header and body, CRLF lines): its first {@code text}, its whole {@code size}. */
    record Message(String text, long size, boolean cut) {}

    /** The message of an envelope or message id, at most {@link #MESSAGE_LIMIT} bytes of it. */
    Optional<Message> message(String id) throws IOException;

    int delete(String id) throws IOException;

    /** Attempts now; empty id means every envelope. */
    int retry(Optional<String> id) throws IOException;

    int bounce(String id) throws IOException;

    /** Picks up a message that {@code sendmail} committed to the spool. */
    int adopt(String messageId) throws IOException;
}
