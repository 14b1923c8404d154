package org.mailwright.dns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailwright.config.Config;
import org.mailwright.dkim.DkimKey;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.mail.Addresses;
import org.xbill.DNS.ReverseMap;

/**
 * Every DNS record the recipe needs, generated from the configuration and the real DKIM keys, for the
 * user to copy (zone file or JSON for the GUI's copy buttons) and for {@link DnsCheck} to verify.
 */
public final class DnsRecords {
    private final String hostname;
    private final String ip;
    private final String ipv6;
    private final List<String> domains;
    private final List<DnsRecord> records;
    private final List<String> notes;

    private DnsRecords(String hostname, String ip, String ipv6, List<String> domains, List<DnsRecord> records,
                       List<String> notes) {
        this.hostname = hostname;
        this.ip = ip;
        this.ipv6 = ipv6;
        this.domains = List.copyOf(domains);
        this.records = List.copyOf(records);
        this.notes = List.copyOf(notes);
    }

    public List<DnsRecord> records() {
        return records;
    }

    /** What could not be generated and why (no IP configured, no DKIM key, MTA-STS not served yet…). */
    public List<String> notes() {
        return notes;
    }

    public static DnsRecords of(Config c, List<DkimKey> dkimKeys) {
        List<DnsRecord> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String host = c.hostname();
        String hostZone = zoneOf(c, host);

        if (c.ip().isEmpty()) {
            notes.add("No public IPv4 address in mailwright.conf: the A, PTR and SPF ip4 records are left out"
                    + " — set ip = \"A.B.C.D\" (or run init with --ip).");
        } else {
            out.add(new DnsRecord(DnsRecord.Kind.ADDRESS, hostZone, host, "A", c.ip(),
                    "Other servers find " + host + " by this address; our greeting, MX and PTR all name it.", true, ""));
        }
        if (!c.ipv6().isEmpty()) {
            out.add(new DnsRecord(DnsRecord.Kind.ADDRESS6, hostZone, host, "AAAA", c.ipv6(),
                    "Servers that send over IPv6 reach " + host + " here.", true,
                    "Only publish it if the engine really listens on this IPv6 address."));
        }
        if (!c.ip().isEmpty() && !c.domains().contains(host)) {
            out.add(new DnsRecord(DnsRecord.Kind.HELO_SPF, hostZone, host, "TXT", "v=spf1 a " + c.dns().spfAll().word(),
                    "Receivers check SPF for the name in our EHLO too (RFC 7208 §2.3); this authorises the host itself.",
                    false, ""));
        }

        for (String domain : c.domains()) {
            out.add(new DnsRecord(DnsRecord.Kind.MX, domain, domain, "MX", "10 " + host,
                    "Mail for " + domain + " is delivered to " + host + "; without it senders try the A record of "
                            + domain + " or give up.", true, ""));
            out.add(new DnsRecord(DnsRecord.Kind.SPF, domain, domain, "TXT", spf(c),
                    "Receivers check that mail from @" + domain + " comes from an address this record authorises (RFC 7208).",
                    true, c.dns().spfAll() == Config.SpfAll.SOFTFAIL
                            ? "Ends in ~all (soft fail) as set in [dns] spf_all; once everything passes, change it to -all."
                            : "Only one SPF record per name: two make every check fail (RFC 7208 §4.5). Merge it with any you have."));
            for (DkimKey key : dkimKeys) out.add(dkim(key, domain));
            String rua = reportAddress(c.dns().dmarcReport(), domain);
            out.add(new DnsRecord(DnsRecord.Kind.DMARC, domain, "_dmarc." + domain, "TXT",
                    "v=DMARC1; p=none; rua=mailto:" + rua,
                    "Tells receivers what to do when SPF and DKIM do not match @" + domain + ", and where to send reports"
                            + " (RFC 7489); big providers expect one.", true,
                    "p=none only collects reports. After a week or two of reports showing only your own server passing,"
                            + " tighten to p=quarantine, then p=reject."));
            String ruaDomain = Addresses.domainOf(rua);
            if (!ruaDomain.equals(domain)) {
                if (c.domains().contains(ruaDomain)) {
                    out.add(new DnsRecord(DnsRecord.Kind.DMARC_REPORT_AUTH, ruaDomain,
                            domain + "._report._dmarc." + ruaDomain, "TXT", "v=DMARC1",
                            ruaDomain + " agrees to receive DMARC reports for " + domain + " (RFC 7489 §7.1).", false, ""));
                } else {
                    notes.add("DMARC reports for " + domain + " go to " + rua + ": that domain must publish "
                            + domain + "._report._dmarc." + ruaDomain + " TXT \"v=DMARC1\" (RFC 7489 §7.1) or receivers will not send them.");
                }
            }
            out.add(new DnsRecord(DnsRecord.Kind.TLS_RPT, domain, "_smtp._tls." + domain, "TXT",
                    "v=TLSRPTv1; rua=mailto:" + reportAddress(c.dns().tlsReport(), domain),
                    "Senders report failed TLS connections to " + host + " to this address (RFC 8460).", false, ""));
            submissionPort(c).ifPresent(port -> out.add(new DnsRecord(DnsRecord.Kind.SUBMISSION_SRV, domain,
                    "_submission._tcp." + domain, "SRV", "0 1 " + port + " " + host,
                    "Mail programs find the submission server for @" + domain + " users by themselves (RFC 6186).", false, "")));
        }

        if (!c.ip().isEmpty()) {
            out.add(new DnsRecord(DnsRecord.Kind.PTR, reverseName(c.ip()), reverseName(c.ip()), "PTR", host,
                    "Receivers look up who " + c.ip() + " is and expect the name to resolve back to it (forward-confirmed"
                            + " reverse DNS); many refuse mail from addresses without it.", true,
                    "Set by your hosting provider (\"reverse DNS\" or \"PTR\" in its control panel), not in your own zone."));
        }
        if (!c.ipv6().isEmpty()) {
            out.add(new DnsRecord(DnsRecord.Kind.PTR, reverseName(c.ipv6()), reverseName(c.ipv6()), "PTR", host,
                    "Receivers expect reverse DNS for IPv6 senders too, forward-confirmed.", true,
                    "Set by your hosting provider, not in your own zone."));
        }

        Optional<String> ca = caaIssuer(c.tls());
        if (ca.isPresent()) {
            out.add(new DnsRecord(DnsRecord.Kind.CAA, hostZone, host, "CAA", "0 issue " + DnsRecord.quote(ca.get()),
                    "Only " + ca.get() + " may issue certificates for " + host + " (RFC 8659).", false,
                    "Published at the hostname only, so other names of the domain keep their own certificate authorities."));
        } else {
            notes.add("No CAA record: the certificate authority of [tls] mode \"" + c.tls().mode().word()
                    + "\" (acme_directory \"" + c.tls().acmeDirectory() + "\") is not known to Mailwright"
                    + " — publish CAA 0 issue \"YOUR-CA\" at " + host + " yourself if you want one.");
        }
        if (dkimKeys.isEmpty()) {
            notes.add("No DKIM key in DATA/dkim: the DKIM record is left out — create one with `mailwright dkim keygen`.");
        }
        notes.add("MTA-STS is left out: it needs the policy served over HTTPS at mta-sts.<domain>, which the engine cannot do yet.");
        return new DnsRecords(host, c.ip(), c.ipv6(), c.domains(), out, notes);
    }

    /** The TXT record that publishes {@code key} for {@code domain} (RFC 6376 §3.6.2). */
    public static DnsRecord dkim(DkimKey key, String domain) {
        String value = DkimKeys.dnsTxtValue(key);
        return new DnsRecord(DnsRecord.Kind.DKIM, domain, DkimKeys.dnsName(key.selector(), domain), "TXT", value,
                "Receivers verify the DKIM signature Mailwright adds to outgoing mail with this public key (RFC 6376).",
                true, value.length() > 255
                        ? "Longer than 255 characters: the zone splits it into several strings; DNS providers that ask"
                        + " for one value take it whole and split it themselves." : "");
    }

    static String spf(Config c) {
        StringBuilder b = new StringBuilder("v=spf1 mx a");
        if (!c.ip().isEmpty()) b.append(" ip4:").append(c.ip());
        if (!c.ipv6().isEmpty()) b.append(" ip6:").append(c.ipv6());
        return b.append(' ').append(c.dns().spfAll().word()).toString();
    }

    static String reportAddress(String configured, String domain) {
        return configured.isEmpty() ? "postmaster@" + domain : configured;
    }

    /** The port of the first STARTTLS submission listener (AUTH required, not implicit TLS). */
    static Optional<Integer> submissionPort(Config c) {
        return c.listeners().stream()
                .filter(l -> l.auth() == Config.ListenerAuth.REQUIRE && l.tls() != Config.ListenerTls.IMPLICIT)
                .map(Config.Listener::port).findFirst();
    }

    /** The CA whose domain goes in CAA "issue" (RFC 8659 §4.2), from the ACME directory in use. */
    static Optional<String> caaIssuer(Config.Tls tls) {
        if (tls.mode() != Config.TlsMode.ACME && tls.mode() != Config.TlsMode.SELF_SIGNED) return Optional.empty();
        String dir = tls.acmeDirectory().toLowerCase(Locale.ROOT);
        if (dir.isEmpty() || dir.contains("letsencrypt")) return Optional.of("letsencrypt.org");
        if (dir.contains("zerossl")) return Optional.of("sectigo.com");
        if (dir.contains("buypass")) return Optional.of("buypass.com");
        if (dir.contains("pki.goog")) return Optional.of("pki.goog");
        return Optional.empty();
    }

    /** The longest of our domains that {@code name} is in; the name itself when it is in none. */
    static String zoneOf(Config c, String name) {
        String best = null;
        for (String d : c.domains()) {
            if ((name.equals(d) || name.endsWith("." + d)) && (best == null || d.length() > best.length())) best = d;
        }
        return best == null ? name : best;
    }

    /** {@code 7.113.0.203.in-addr.arpa} / nibbles under {@code ip6.arpa} (RFC 1035 §3.5, RFC 3596 §2.5). */
    public static String reverseName(String ip) {
        try {
            return DnsRecord.stripDot(ReverseMap.fromAddress(InetAddress.getByName(ip)).toString());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    /** Master-file text, one section per zone, each record with a comment saying why it matters. */
    public String zone() {
        StringBuilder b = new StringBuilder();
        b.append("; DNS records for ").append(hostname).append(", generated by Mailwright.\n");
        b.append("; Paste each section into that zone at your DNS provider. Names are absolute (they end in a dot).\n");
        Set<String> zones = new LinkedHashSet<>();
        records.forEach(r -> zones.add(r.zone()));
        for (String zone : zones) {
            b.append("\n; ==== zone ").append(zone).append(" ====\n");
            for (DnsRecord r : records) {
                if (!r.zone().equals(zone)) continue;
                b.append("; ").append(label(r)).append(" (").append(r.level()).append("): ").append(r.why()).append('\n');
                if (!r.note().isEmpty()) b.append(";   ").append(r.note()).append('\n');
                b.append(r.zoneLine()).append('\n');
            }
        }
        if (!notes.isEmpty()) {
            b.append('\n');
            notes.forEach(n -> b.append("; Note: ").append(n).append('\n'));
        }
        return b.toString();
    }

    /** For the GUI's copy buttons: per record type, name, value, strings, zone line, why, required|recommended. */
    public String json() {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("hostname", hostname);
        top.put("ip", ip);
        top.put("ipv6", ipv6);
        top.put("domains", domains);
        List<Map<String, Object>> list = new ArrayList<>();
        for (DnsRecord r : records) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", r.kind().word());
            m.put("label", label(r));
            m.put("type", r.type());
            m.put("zone", r.zone());
            m.put("name", r.name());
            m.put("value", r.value());
            m.put("strings", r.strings());
            m.put("ttl", DnsRecord.TTL);
            m.put("zone_line", r.zoneLine());
            m.put("why", r.why());
            m.put("level", r.level());
            m.put("note", r.note());
            list.add(m);
        }
        top.put("records", list);
        top.put("notes", notes);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(top) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The records {@link #json()} wrote, read back: what a deployed engine's {@code dns records --format json}
     * answers, so its zone text and rows are the ones it generated.
     */
    public static DnsRecords readJson(String json) throws IOException {
        JsonNode top = new ObjectMapper().readTree(json);
        List<DnsRecord> records = new ArrayList<>();
        try {
            for (JsonNode r : top.path("records")) {
                records.add(new DnsRecord(DnsRecord.Kind.of(r.path("kind").asText()), r.path("zone").asText(),
                        r.path("name").asText(), r.path("type").asText(), r.path("value").asText(), r.path("why").asText(),
                        "required".equals(r.path("level").asText()), r.path("note").asText()));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new DnsRecords(top.path("hostname").asText(), top.path("ip").asText(), top.path("ipv6").asText(),
                texts(top.path("domains")), records, texts(top.path("notes")));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A short label a person recognises: "SPF", "DKIM (selector s1)", "PTR". */
    public static String label(DnsRecord r) {
        return switch (r.kind()) {
            case ADDRESS -> "A";
            case ADDRESS6 -> "AAAA";
            case MX -> "MX";
            case SPF -> "SPF";
            case HELO_SPF -> "SPF for the hostname";
            case DKIM -> "DKIM (selector " + r.name().substring(0, r.name().indexOf("._domainkey")) + ")";
            case DMARC -> "DMARC";
            case DMARC_REPORT_AUTH -> "DMARC report authorisation";
            case PTR -> "PTR";
            case TLS_RPT -> "TLS-RPT";
            case SUBMISSION_SRV -> "SRV submission";
            case CAA -> "CAA";
        };
    }
}
