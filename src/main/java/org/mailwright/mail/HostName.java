package org.mailwright.mail;

import java.io.IOException;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * The one rule for a host or domain name (RFC 1123 §2.1: letters, digits and '-' per label, not at either end,
 * at most 63 characters a label and 253 in all, upper or lower case), and for the IP addresses next to it. The
 * configuration, DKIM, the SMTP path checks and the app's forms all ask here.
 */
public final class HostName {
    private static final Pattern LABEL = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private HostName() {}

    /** Whether {@code s} is a host name as written, without a trailing dot (one label is enough: "localhost"). */
    public static boolean isValid(String s) {
        if (s.isEmpty() || s.length() > 253) return false;
        for (String label : s.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) return false;
        }
        return true;
    }

    /** Dotted-quad IPv4, each part 0–255 without leading zeros. */
    public static boolean isIpv4(String s) {
        return IPV4.matcher(s).matches();
    }

    /** An IPv6 address in any of its written forms (with an embedded IPv4 part too), without brackets. */
    public static boolean isIpv6(String s) {
        if (!s.contains(":") || !s.matches("[0-9a-fA-F:.]+")) return false;
        try {
            return InetAddress.getByName(s).getAddress().length == 16;
        } catch (IOException e) {
            return false;
        }
    }
}
