package org.mailwright.dns;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.mailwright.dkim.DkimKeys;

/**
 * One DNS record Mailwright asks the user to publish.
 *
 * @param kind     what the record is for (the checker judges each kind by its own rules)
 * @param zone     the zone it belongs in: one of our domains, or the name itself when it is in no zone of ours
 *                 (the hostname under another domain, the PTR in the hosting provider's reverse zone)
 * @param name     owner name, fully qualified, without the trailing dot
 * @param type     DNS type: A, AAAA, MX, TXT, PTR, SRV, CAA
 * @param value    the record data as a DNS provider's form wants it: a TXT value unquoted and unsplit,
 *                 MX as "10 host", SRV as "0 1 587 host", CAA as {@code 0 issue "ca"}
 * @param why      why receivers (or clients, or CAs) care, one sentence
 * @param required whether mail is likely refused or filed as spam without it
 * @param note     what else to know (who sets it, how to tighten it); empty when nothing
 */
public record DnsRecord(Kind kind, String zone, String name, String type, String value, String why, boolean required,
                        String note) {

    /** Time to live suggested for every record: an hour, short enough to fix a mistake the same day. */
    public static final int TTL = 3600;

    public enum Kind {
        ADDRESS, ADDRESS6, MX, SPF, HELO_SPF, DKIM, DMARC, DMARC_REPORT_AUTH, PTR, TLS_RPT, SUBMISSION_SRV, CAA;

        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The kind {@link #word()} names; IllegalArgumentException for a word no kind has. */
        public static Kind of(String word) {
            for (Kind k : values()) {
                if (k.word().equals(word)) return k;
            }
            throw new IllegalArgumentException("unknown DNS record kind \"" + word + "\"");
        }
    }

    public DnsRecord {
        Objects.requireNonNull(kind);
        name = stripDot(name.toLowerCase(Locale.ROOT));
        zone = stripDot(zone.toLowerCase(Locale.ROOT));
        note = note == null ? "" : note;
    }

    public String level() {
        return required ? "required" : "recommended";
    }

    /** TXT data as character-strings of at most 255 bytes (RFC 1035 §3.3.14); other types: the value alone. */
    public List<String> strings() {
        return type.equals("TXT") ? DkimKeys.txtStrings(value) : List.of(value);
    }

    /**
     * The record in master-file format (RFC 1035 §5.1), absolute names, as named-checkzone reads it: the one zone
     * line the CLI, the admin layer and the GUI's copy buttons write. Long TXT data is several quoted strings on the line.
     */
    public String zoneLine() {
        String data = switch (type) {
            case "TXT" -> strings().stream().map(DnsRecord::quote).collect(Collectors.joining(" "));
            case "MX", "PTR" -> absolute(value);
            case "SRV" -> {
                String[] f = value.split(" ");
                yield f[0] + " " + f[1] + " " + f[2] + " " + absolute(f[3]);
            }
            default -> value;
        };
        return absolute(name) + "\t" + TTL + "\tIN\t" + type + "\t" + data;
    }

    static String absolute(String name) {
        String n = name.trim();
        return n.endsWith(".") ? n : n + ".";
    }

    static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
