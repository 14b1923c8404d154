package org.mailwright.smtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mailwright.dkim.DkimVerifier;
import org.mailwright.dkim.RawMessage;
import org.mailwright.dns.Dmarc;
import org.mailwright.dns.Spf;

/**
 * The {@code Authentication-Results:} header field (RFC 8601) a received message gets, with our host name as the
 * authserv-id, and the removal of any such field that names us already (§5: nobody may forge our verdicts).
 */
public final class AuthenticationResults {
    private AuthenticationResults() {}

    /** What the checks found for one message. */
    public record Checks(Spf.Result spf, String mailFromDomain, Spf.Result helo, String heloName,
                         List<DkimVerifier.Verdict> dkim, Dmarc.Verdict dmarc) {}

    /**
     * The field, folded one method per line and ending in CRLF, e.g.
     * {@code Authentication-Results: mail.example.org; spf=pass smtp.mailfrom=ok.test; dkim=pass header.d=ok.test
     * header.s=sel; dmarc=pass header.from=ok.test}.
     */
    public static String header(String authservId, Checks c) {
        List<String> results = new ArrayList<>();
        if (c.mailFromDomain() != null && !c.mailFromDomain().isEmpty()) {
            results.add("spf=" + word(c.spf()) + " smtp.mailfrom=" + c.mailFromDomain());
            // The HELO identity too (RFC 7208 §2.3), when its name publishes a verdict.
            if (c.helo() != null && c.helo() != Spf.Result.NONE) results.add("spf=" + word(c.helo()) + " smtp.helo=" + c.heloName());
        } else {
            results.add("spf=" + word(c.helo()) + " smtp.helo=" + c.heloName());
        }
        if (c.dkim().isEmpty()) {
            results.add("dkim=none");
        } else {
            for (DkimVerifier.Verdict v : c.dkim()) {
                results.add("dkim=" + v.result().word() + (v.domain().isEmpty() ? "" : " header.d=" + v.domain())
                        + (v.selector().isEmpty() ? "" : " header.s=" + v.selector()));
            }
        }
        if (c.dmarc() != null) results.add("dmarc=" + c.dmarc().result().word() + " header.from=" + c.dmarc().fromDomain());
        return "Authentication-Results: " + authservId + ";\r\n\t" + String.join(";\r\n\t", results) + "\r\n";
    }

    /** The maillog's fields for the same verdicts: {@code spf=pass dkim=pass dmarc=pass}. */
    public static String logFields(Checks c) {
        return "spf=" + spfWord(c) + " dkim=" + dkimWord(c) + " dmarc=" + dmarcWord(c);
    }

    /** The SPF verdict of MAIL FROM, or of HELO for a bounce. */
    static String spfWord(Checks c) {
        return word(c.mailFromDomain() == null || c.mailFromDomain().isEmpty() ? c.helo() : c.spf());
    }

    /** {@code pass} when any signature passed, else the first signature's verdict; {@code none} when unsigned. */
    static String dkimWord(Checks c) {
        return c.dkim().isEmpty() ? "none"
                : c.dkim().stream().anyMatch(DkimVerifier.Verdict::passed) ? "pass" : c.dkim().get(0).result().word();
    }

    static String dmarcWord(Checks c) {
        return c.dmarc() == null ? "none" : c.dmarc().result().word();
    }

    static String word(Spf.Result r) {
        return r == null ? "none" : r.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The message without the {@code Authentication-Results:} fields whose authserv-id is ours (case-insensitive,
     * comments and a version number allowed, RFC 8601 §2.2); fields naming other hosts stay. The same array when there
     * is none. Only the header section is looked at; lines end in CRLF.
     */
    public static byte[] removeOurs(byte[] message, String authservId) {
        List<RawMessage.Field> ours = new ArrayList<>();
        for (RawMessage.Field f : RawMessage.parse(message).fields()) {
            if (f.is("authentication-results")
                    && namesUs(new String(message, f.colon() + 1, f.end() - f.colon() - 1, StandardCharsets.ISO_8859_1), authservId)) {
                ours.add(f);
            }
        }
        if (ours.isEmpty()) return message;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(message.length);
        int from = 0;
        for (RawMessage.Field f : ours) {
            out.write(message, from, f.start() - from);
            from = Math.min(message.length, f.end() + 2); // with its CRLF
        }
        out.write(message, from, message.length - from);
        return out.toByteArray();
    }

    /** Whether a field value's authserv-id is {@code authservId}: the first token, comments removed, before ";". */
    static boolean namesUs(String value, String authservId) {
        String v = value.replaceAll("\\([^()]*\\)", " ").strip();
        int semi = v.indexOf(';');
        String id = (semi < 0 ? v : v.substring(0, semi)).strip().split("\\s+")[0];
        if (id.startsWith("\"") && id.endsWith("\"") && id.length() >= 2) id = id.substring(1, id.length() - 1);
        return id.equalsIgnoreCase(authservId);
    }
}
