package org.mailwright.ui;

import java.time.LocalDate;
import java.time.ZoneId;
import org.mailwright.log.DayCounts;
import org.mailwright.log.MaillogEntry;

/**
 * Today's counters for the dashboard, counted from maillog lines (so they survive engine restarts) by the same
 * {@link DayCounts} as {@code mailwright status}: deferred and bounced count envelopes, not attempts.
 */
public final class TodayCounters {
    public int received;
    public int delivered;
    public int deferred;
    public int bounced;
    public int authFailures;
    private LocalDate day;
    private final ZoneId zone;
    private DayCounts counts = new DayCounts();

    public TodayCounters(ZoneId zone, LocalDate day) {
        this.zone = zone;
        this.day = day;
    }

    /** Counts one line if it is from today; a new day starts from zero. */
    public void count(LogRow row, LocalDate today) {
        if (!today.equals(day)) {
            day = today;
            counts = new DayCounts();
        }
        if (row.instant() != null && row.instant().atZone(zone).toLocalDate().equals(day)) {
            MaillogEntry.parse(row.raw()).ifPresent(counts::count);
        }
        received = (int) counts.received();
        delivered = (int) counts.delivered();
        deferred = (int) counts.deferred();
        bounced = (int) counts.bounced();
        authFailures = (int) counts.authFailures();
    }
}
