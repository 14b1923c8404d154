package org.mailwright.admin;

import java.time.Duration;

/** How long something has waited or will wait, in the short words the queue list, the Queue view and status use. */
public final class Ages {
    private Ages() {}

    /** {@code 42s}, {@code 7m}, {@code 3h 5m}, {@code 2d 4h}; a negative duration is {@code 0s}. */
    public static String words(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m";
        if (s < 86400) return s / 3600 + "h " + (s % 3600) / 60 + "m";
        return s / 86400 + "d " + (s % 86400) / 3600 + "h";
    }
}
