package org.mailwright.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in smtpd.conf and here: {@code 90s}, {@code 5m}, {@code 2h}, {@code 4d}. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+)([smhd])");

    private Durations() {}

    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration — write a number and s, m, h or d, like \"5m\" or \"4d\"");
        }
        try {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (NumberFormatException | ArithmeticException tooLong) {
            throw new IllegalArgumentException("\"" + text + "\" is too long a duration — write at most a few years, like \"365d\"");
        }
    }

    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s != 0 && s % 86400 == 0) return s / 86400 + "d";
        if (s != 0 && s % 3600 == 0) return s / 3600 + "h";
        if (s != 0 && s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
