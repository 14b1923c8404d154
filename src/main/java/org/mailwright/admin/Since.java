package org.mailwright.admin;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.mailwright.config.Durations;

/** {@code log --since T}: an ISO instant ({@code 2026-12-02T10:00:00Z}) or a duration back from now ({@code 90s}, {@code 1h}, {@code 2d}). */
public final class Since {
    private Since() {}

    public static Instant parse(String text, Clock clock) {
        String t = text.trim();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return clock.instant().minus(Durations.parse(t));
            } catch (IllegalArgumentException notADuration) {
                throw new AdminException("--since \"" + text + "\" is neither an instant (2026-12-02T10:00:00Z) nor a duration (90s, 15m, 1h, 2d)");
            }
        }
    }
}
