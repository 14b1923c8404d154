package org.mailwright.log;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One parsed maillog line: what the GUI and the tests read back from what the engine wrote. */
public record MaillogEntry(Instant time, String id, String role, String event, Map<String, String> fields, String raw) {

    public Optional<String> field(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    /** The length of a message id: an envelope id is the message id and 8 more hex digits. */
    public static final int MESSAGE_ID_LENGTH = 8;

    /**
     * Whether {@code line} is about the message of {@code id} (a message or envelope id): its ID starts with the
     * message id, as the engine logs a message's envelopes and its outbound connections. Not the receiving session.
     */
    public static boolean ofMessage(String line, String id) {
        String messageId = id.length() > MESSAGE_ID_LENGTH ? id.substring(0, MESSAGE_ID_LENGTH) : id;
        int start = line.indexOf(' ') + 1;
        return start > 0 && !messageId.isEmpty() && line.startsWith(messageId, start);
    }

    /** Parses a line written by {@link Maillog}; empty when the line is not one of ours. */
    public static Optional<MaillogEntry> parse(String line) {
        String[] head = line.split(" ", 5);
        if (head.length < 4) return Optional.empty();
        Instant time;
        try {
            time = Instant.parse(head[0]);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (head.length == 5) parseFields(head[4], fields);
        return Optional.of(new MaillogEntry(time, head[1], head[2], head[3], Collections.unmodifiableMap(fields), line));
    }

    private static void parseFields(String s, Map<String, String> into) {
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && s.charAt(i) == ' ') i++;
            int eq = s.indexOf('=', i);
            if (eq < 0) return;
            String key = s.substring(i, eq);
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) i++;
                    v.append(s.charAt(i++));
                }
                i++;
            } else {
                while (i < s.length() && s.charAt(i) != ' ') v.append(s.charAt(i++));
            }
            into.put(key, v.toString());
        }
    }
}
