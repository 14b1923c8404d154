package org.mailwright.ui;

import java.time.LocalDate;
import java.time.ZoneId;

/** Today's counters for the dashboard, counted from maillog lines (so they survive engine restarts). */
public final class TodayCounters {
    public int received;
    public int delivered;
    public int deferred;
    public int bounced;
    public int authFailures;
    private LocalDate day;
    private final ZoneId zone;

    public TodayCounters(ZoneId zone, LocalDate day) {
        this.zone = zone;
        this.day = day;
    }

    /** Counts one line if it is from today; a new day starts from zero. */
    public void count(LogRow row, LocalDate today) {
        if (!today.equals(day)) {
            day = today;
            received = delivered = deferred = bounced = authFailures = 0;
        }
        if (row.instant() == null || !row.instant().atZone(zone).toLocalDate().equals(day)) return;
        if (row.event().equals("message") && row.role().equals("smtp")) received++;
        if (row.isDelivery()) {
            switch (row.result()) {
                case OK -> delivered++;
                case TEMPFAIL -> deferred++;
                case PERMFAIL -> bounced++;
                default -> { }
            }
        }
        if (row.result() == LogRow.Result.AUTH_FAIL) authFailures++;
    }
}
