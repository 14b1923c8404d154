package org.mailwright.mail;

import java.util.Locale;

/**
 * A mail address {@code local@domain} taken apart once, for the ruleset, the recipients' lookup, the scheduler's
 * batching and the mta (chasquid's internal/envelope). The domain is what follows the last '@' (a quoted local
 * part may hold one); syntax checks of a path on the wire live in smtp.
 */
public final class Addresses {
    private Addresses() {}

    /** The domain in lower case; empty when there is no '@'. */
    public static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** The local part as written; empty when there is no '@' or nothing before it. */
    public static String localPart(String address) {
        int at = address.lastIndexOf('@');
        return at <= 0 ? "" : address.substring(0, at);
    }

    /**
     * The user a local part names: lower case, without a {@code +tag} ({@code Bob+lists@x} → {@code bob}); empty
     * when there is no local part.
     */
    public static String user(String address) {
        String local = localPart(address).toLowerCase(Locale.ROOT);
        int plus = local.indexOf('+');
        return plus > 0 ? local.substring(0, plus) : local;
    }

    /** The address with its domain in lower case (the local part may be case-sensitive, RFC 5321 §2.4). */
    public static String normalize(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at) + "@" + address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
