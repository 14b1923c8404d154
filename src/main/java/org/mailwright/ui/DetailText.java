package org.mailwright.ui;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mailwright.control.EnvelopeInfo;
import org.mailwright.log.MaillogEntry;

/** What a detail pane says, as plain text: what it shows is what Copy copies. */
final class DetailText {
    private DetailText() {}

    /** One maillog line with every field on its own line (the peer's reply whole), then the story of its id. */
    static String line(LogRow row, List<LogRow> story) {
        StringBuilder b = new StringBuilder();
        Optional<MaillogEntry> parsed = MaillogEntry.parse(row.raw());
        if (parsed.isEmpty()) {
            b.append(row.raw()).append('\n');
        } else {
            MaillogEntry e = parsed.get();
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("time", e.time().toString());
            fields.put("id", e.id());
            fields.put("event", e.role() + " " + e.event());
            fields.putAll(e.fields());
            fields(b, fields);
        }
        if (!story.isEmpty()) {
            b.append('\n').append("Story of ").append(row.id()).append(" (").append(story.size())
                    .append(story.size() == 1 ? " line" : " lines").append(": its session, message and envelopes)\n");
            lines(b, story);
        }
        return b.toString();
    }

    /** A queued envelope, every field whole, then the maillog lines of its attempts. */
    static String envelope(EnvelopeInfo e, List<LogRow> attempts, Instant now) {
        StringBuilder b = new StringBuilder();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("envelope", e.id());
        fields.put("message", e.messageId());
        fields.put("from", "<" + e.from() + ">");
        fields.put("to", "<" + e.to() + ">" + (e.user() == null || e.user().isEmpty() ? "" : " (local user " + e.user() + ")"));
        fields.put("action", e.action());
        fields.put("queued", e.created() + " (" + QueueRow.age(e.created(), now) + " ago)");
        fields.put("attempts", String.valueOf(e.attempts()));
        fields.put("next attempt", QueueRow.next(e.nextAttempt(), now));
        fields.put("last error", e.lastError() == null || e.lastError().isEmpty() ? "-" : e.lastError());
        fields(b, fields);
        b.append('\n');
        if (attempts.isEmpty()) {
            b.append("No attempt in the maillog yet.\n");
        } else {
            b.append("In the maillog (").append(attempts.size()).append(attempts.size() == 1 ? " line" : " lines")
                    .append(": attempts, connections and results)\n");
            lines(b, attempts);
        }
        return b.toString();
    }

    private static void fields(StringBuilder b, Map<String, String> fields) {
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        fields.forEach((k, v) -> b.append(String.format("%-" + width + "s", k + ":")).append(v).append('\n'));
    }

    /** Wrapped, one line takes several: a blank line between them shows where each starts. */
    private static void lines(StringBuilder b, List<LogRow> rows) {
        b.append(rows.stream().map(LogRow::raw).collect(Collectors.joining("\n\n"))).append('\n');
    }
}
