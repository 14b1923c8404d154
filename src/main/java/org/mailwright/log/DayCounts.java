package org.mailwright.log;

import java.util.HashSet;
import java.util.Set;

/**
 * A day's counters as the maillog tells them, for {@code status} and the dashboard: messages received, and what
 * became of each envelope (one message to one recipient, as the queue lists them). An envelope tried five times
 * and still waiting is deferred once; one given up on — refused for good, expired, or returned from the Queue with
 * {@code queue bounce} — is bounced once, whether a report went back to the sender or not.
 */
public final class DayCounts {
    private long received;
    private long delivered;
    private final Set<String> deferred = new HashSet<>();
    private final Set<String> bounced = new HashSet<>();
    private long authFailures;

    /** Counts one line; the caller keeps to one day. */
    public void count(MaillogEntry e) {
        String result = e.field("result").orElse("");
        switch (e.event()) {
            case "message" -> {
                if (e.role().equals("smtp")) received++;
            }
            case "delivery" -> {
                switch (result) {
                    case "Ok" -> delivered++;
                    case "TempFail" -> deferred.add(e.id());
                    case "PermFail" -> bounced.add(e.id());
                    default -> { }
                }
            }
            // The report's own line names the envelope given up on: `queue bounce for=ENVELOPE` (Scheduler.fail),
            // also for an expiry and for the administrator's `queue bounce`, which log no delivery line.
            case "bounce" -> e.field("for").ifPresent(bounced::add);
            case "bounce-dropped" -> bounced.add(e.id());
            case "authentication" -> {
                if (!result.equals("ok")) authFailures++;
            }
            default -> { }
        }
    }

    public long received() { return received; }
    public long delivered() { return delivered; }
    public long deferred() { return deferred.size(); }
    public long bounced() { return bounced.size(); }
    public long authFailures() { return authFailures; }
}
