package org.mailwright.ui;

import java.time.Duration;
import org.mailwright.admin.Ages;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.mailwright.control.EnvelopeInfo;

/** One waiting envelope as the Queue table shows it; {@code envelope} is all of it, for the detail pane. */
public record QueueRow(String id, String from, String to, String age, int attempts, String nextAttempt, String lastError,
                       EnvelopeInfo envelope) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    public static QueueRow of(EnvelopeInfo e, Instant now) {
        return new QueueRow(e.id(), e.from().isEmpty() ? "<>" : e.from(), e.to(), age(e.created(), now), e.attempts(),
                next(e.nextAttempt(), now), e.lastError() == null ? "" : e.lastError(), e);
    }

    static String age(String created, Instant now) {
        try {
            return Ages.words(Duration.between(Instant.parse(created), now));
        } catch (RuntimeException e) {
            return "";
        }
    }

    static String next(String next, Instant now) {
        try {
            Instant at = Instant.parse(next);
            return at.isAfter(now) ? TIME.format(at) + " (in " + Ages.words(Duration.between(now, at)) + ")" : "now";
        } catch (RuntimeException e) {
            return "";
        }
    }
}
