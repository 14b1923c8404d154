package org.mailwright.smtp;

import java.util.regex.Pattern;
import org.mailwright.mail.HostName;

/** Parsing the {@code <path>} and parameters of MAIL FROM and RCPT TO (RFC 5321 §4.1.2). */
final class SmtpPaths {
    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+|\"([^\"\\\\\\r\\n]|\\\\.)*\"");
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("(?i)\\[[0-9a-f.:A-Z]+]"); // [192.0.2.1], [IPv6:2001:db8::1]

    private SmtpPaths() {}

    /** The path and the parameters after it. */
    record PathArgs(String address, String params) {}

    /** Parses {@code FROM:<a@b> PARAMS} after the verb; null when malformed. */
    static PathArgs parse(String rest, String keyword) {
        String r = rest.stripLeading();
        if (!r.regionMatches(true, 0, keyword, 0, keyword.length())) return null;
        r = r.substring(keyword.length()).stripLeading();
        if (!r.startsWith("<")) return null;
        int close = r.indexOf('>');
        if (close < 0) return null;
        String path = r.substring(1, close);
        // source routes (@a,@b:user@c) are accepted and ignored (RFC 5321 §4.1.2)
        int colon = path.indexOf(':');
        if (path.startsWith("@") && colon > 0) path = path.substring(colon + 1);
        return new PathArgs(path, r.substring(close + 1).strip());
    }

    /** Why an address is not acceptable, or null (the empty path is checked by the caller). */
    static String problem(String address) {
        if (address.length() > 254) return "501 5.1.3 Address too long (RFC 5321 §4.5.3.1)";
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) return "501 5.1.3 Bad address syntax: <" + address + ">, expected user@domain";
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.length() > 64) return "501 5.1.3 Local part too long (RFC 5321 §4.5.3.1)";
        if (!LOCAL.matcher(local).matches() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return "501 5.1.3 Bad address syntax: <" + address + ">";
        }
        if (!HostName.isValid(domain) && !ADDRESS_LITERAL.matcher(domain).matches()) return "501 5.1.3 Bad domain in address: <" + address + ">";
        return null;
    }

    /**
     * True when {@code s} holds anything but printable ASCII: control characters (NUL, ESC, BEL, CR, LF, DEL…)
     * and, since SMTPUTF8 is not offered, 8-bit characters (RFC 5321 §4.1.2, RFC 6531 §3.2). Such text must
     * never reach a Received: line, the maillog or the next hop's session.
     */
    static boolean unprintable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) return true;
        }
        return false;
    }
}
