package org.mailwright.mta;

import java.util.Optional;

/**
 * Whether an envelope address may go into {@code MAIL FROM:<…>} or {@code RCPT TO:<…>} as it is. The spool can
 * hold addresses that never came through our SMTP parser (sendmail, aliases, a spool edited by hand); one with a
 * CR or LF would end the command early and let the rest run as a second command at the peer (RFC 5321 §2.3.8,
 * §4.1.2). Such a path is refused here and the envelope fails permanently, with this reason in the bounce.
 * <ul>
 * <li>No control character anywhere (C0, DEL, C1): RFC 5321 §4.1.2 allows none, not even in a quoted local
 *     part (qtextSMTP and quoted-pairSMTP are %d32-126).</li>
 * <li>{@code <}, {@code >} and space only inside a quoted local part: outside it they end the path.</li>
 * </ul>
 * UTF-8 beyond ASCII passes (RFC 6531 addresses); whether the peer takes them is its own answer.
 */
final class MailPath {
    private MailPath() {}

    /** Why {@code path} (without its angle brackets) cannot be sent, or empty when it can. Empty is the null path. */
    static Optional<String> problem(String path) {
        for (int i = 0; i < path.length(); i++) { // the worse problem first: it is the one the bounce names
            char c = path.charAt(i);
            if (Character.isISOControl(c)) return Optional.of(String.format("contains the control character \\x%02x", (int) c));
        }
        boolean quoted = false;
        boolean localPart = true;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < path.length()) i++; // quoted-pair
                else if (c == '"') quoted = false;
                continue;
            }
            if (c == '"' && localPart) {
                quoted = true;
            } else if (c == '@') {
                localPart = false;
            } else if (c == '<' || c == '>' || c == ' ') {
                return Optional.of("contains \"" + c + "\" outside a quoted local part");
            }
        }
        if (quoted) return Optional.of("has a quoted local part without its closing quote");
        return Optional.empty();
    }
}
