package org.mailwright.ui;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A session's or a message's whole story: the session that received a message (its {@code message msgid=})
 * and every envelope of that message (envelope ids start with the message id), in log order.
 */
public final class Story {
    private Story() {}

    public static List<LogRow> of(List<LogRow> rows, String id) {
        if (id == null || id.isBlank() || id.equals("-")) return List.of();
        Set<String> sessions = new HashSet<>();
        Set<String> messages = new HashSet<>();
        sessions.add(id);
        messages.add(id);
        if (id.length() > 8) messages.add(id.substring(0, 8)); // an envelope id: message id + 8 hex digits
        for (LogRow r : rows) {
            if (r.msgid().isEmpty()) continue;
            if (sessions.contains(r.id()) || messages.contains(r.msgid())) {
                sessions.add(r.id());
                messages.add(r.msgid());
            }
        }
        List<LogRow> story = new ArrayList<>();
        for (LogRow r : rows) {
            if (r.id().isEmpty() || r.id().equals("-")) continue;
            if (sessions.contains(r.id()) || messages.stream().anyMatch(m -> r.id().startsWith(m))) story.add(r);
        }
        return story;
    }
}
