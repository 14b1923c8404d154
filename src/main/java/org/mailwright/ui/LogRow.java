package org.mailwright.ui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.mailwright.log.MaillogEntry;

/** One maillog line as the Maillog table shows it. Lines that are not ours still show, as details. */
public record LogRow(Instant instant, String time, String id, String role, String event, String details, Result result,
                     String msgid, String raw) {

    /** What colour a line gets. */
    public enum Result { OK, TEMPFAIL, PERMFAIL, AUTH_FAIL, NONE }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    public static LogRow of(String line) {
        Optional<MaillogEntry> parsed = MaillogEntry.parse(line);
        if (parsed.isEmpty()) return new LogRow(null, "", "", "", "", line, Result.NONE, "", line);
        MaillogEntry e = parsed.get();
        String[] head = line.split(" ", 5);
        String details = head.length == 5 ? head[4] : "";
        return new LogRow(e.time(), TIME.format(e.time()), e.id(), e.role(), e.event(), details, resultOf(e),
                e.field("msgid").orElse(""), line);
    }

    static Result resultOf(MaillogEntry e) {
        String r = e.field("result").orElse("");
        if (e.event().equals("authentication")) return r.equals("ok") ? Result.OK : Result.AUTH_FAIL;
        return switch (r) {
            case "Ok" -> Result.OK;
            case "TempFail" -> Result.TEMPFAIL;
            case "PermFail" -> Result.PERMFAIL;
            default -> e.event().endsWith("failed") || e.event().endsWith("error") || e.event().equals("failed-command")
                    ? Result.TEMPFAIL : Result.NONE;
        };
    }

    public boolean isDelivery() {
        return event.equals("delivery");
    }

    public boolean isFailure() {
        return result == Result.TEMPFAIL || result == Result.PERMFAIL || result == Result.AUTH_FAIL
                || event.equals("bounce") || event.equals("refused");
    }

    public boolean isAuth() {
        return event.equals("authentication");
    }

    /** Case-insensitive match on the whole line; {@code lowerNeedle} is already lower case. */
    public boolean contains(String lowerNeedle) {
        if (lowerNeedle.isEmpty()) return true;
        int last = raw.length() - lowerNeedle.length();
        for (int i = 0; i <= last; i++) { // no lower-cased copy of every line: filtering 200k lines stays cheap
            if (raw.regionMatches(true, i, lowerNeedle, 0, lowerNeedle.length())) return true;
        }
        return false;
    }
}
