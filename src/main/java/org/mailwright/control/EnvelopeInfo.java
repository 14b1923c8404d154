package org.mailwright.control;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.mailwright.queue.Envelope;

/** One envelope as {@code queue list --json} shows it (the field names are part of the contract). */
public record EnvelopeInfo(
        @JsonProperty("id") String id,
        @JsonProperty("message_id") String messageId,
        @JsonProperty("from") String from,
        @JsonProperty("to") String to,
        @JsonProperty("action") String action,
        @JsonProperty("user") String user,
        @JsonProperty("created") String created,
        @JsonProperty("attempts") int attempts,
        @JsonProperty("next_attempt") String nextAttempt,
        @JsonProperty("last_error") String lastError) {

    public static EnvelopeInfo of(Envelope e) {
        return new EnvelopeInfo(e.id(), e.messageId(), e.from(), e.to(), e.action().name().toLowerCase(java.util.Locale.ROOT),
                e.localUser(), e.created().toString(), e.attempts(), e.nextAttempt().toString(), e.lastError());
    }
}
