package org.mailwright.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.mailwright.config.Config;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * Compares what the DNS publishes with what {@link DnsRecords} asks for. It judges meaning, not text:
 * an SPF record that authorises our IP in its own words is fine, a DKIM record with another key is not.
 */
public final class DnsCheck {

    public enum Status { OK, MISSING, WRONG, ERROR }

    /** One row of the report: the record asked for, what was found, and what to do about it. */
    public record Row(DnsRecord record, Status status, String found, String detail) {
        public boolean ok() {
            return status == Status.OK;
        }
    }

    private final Config config;
    private final DnsClient dns;

    public DnsCheck(Config config, DnsClient dns) {
        this.config = config;
        this.dns = dns;
    }

    public List<Row> run(DnsRecords wanted) {
        List<Row> rows = new ArrayList<>();
        for (DnsRecord r : wanted.records()) {
            try {
                rows.add(check(r));
            } catch (DnsClient.LookupFailed e) {
                rows.add(new Row(r, Status.ERROR, "", "the DNS did not answer: " + e.getMessage() + " — try again, or check the resolver"));
            }
        }
        return rows;
    }

    /** One row as JSON-ready fields (for {@code --json} and a GUI that follows a remote engine). */
    public static Map<String, Object> toMap(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", r.status().name());
        m.put("label", DnsRecords.label(r.record()));
        m.put("type", r.record().type());
        m.put("name", r.record().name());
        m.put("level", r.record().level());
        m.put("expected", r.record().value());
        m.put("found", r.found());
        m.put("detail", r.detail());
        return m;
    }

    /** True when every required record is OK: the exit status of {@code dns check}. */
    public static boolean allRequiredOk(List<Row> rows) {
        return rows.stream().filter(r -> r.record().required()).allMatch(Row::ok);
    }

    Row check(DnsRecord r) throws DnsClient.LookupFailed {
        return switch (r.kind()) {
            case ADDRESS -> address(r, Type.A);
            case ADDRESS6 -> address(r, Type.AAAA);
            case MX -> mx(r);
            case SPF, HELO_SPF -> spf(r);
            case DKIM -> dkim(r);
            case DMARC -> dmarc(r);
            case DMARC_REPORT_AUTH -> single(r, "v=DMARC1", "DMARC report authorisation");
            case TLS_RPT -> single(r, "v=TLSRPTv1", "TLS-RPT");
            case PTR -> ptr(r);
            case SUBMISSION_SRV -> srv(r);
            case CAA -> caa(r);
        };
    }

    private Row address(DnsRecord r, int type) throws DnsClient.LookupFailed {
        List<InetAddress> found = type == Type.A ? dns.ipv4(r.name())
                : dns.addresses(r.name()).stream().filter(a -> a.getAddress().length == 16).toList();
        if (found.isEmpty()) return new Row(r, Status.MISSING, "", "publish " + r.type() + " " + r.value() + " at " + r.name());
        InetAddress want = ip(r.value());
        if (found.contains(want)) return new Row(r, Status.OK, addresses(found), "");
        return new Row(r, Status.WRONG, addresses(found), r.name() + " points at another address: other servers will"
                + " connect there — change the " + r.type() + " record to " + r.value());
    }

    private Row mx(DnsRecord r) throws DnsClient.LookupFailed {
        List<Record> mx = dns.lookup(r.name(), Type.MX);
        if (mx.isEmpty()) return new Row(r, Status.MISSING, "", "publish MX " + r.value() + " for " + r.name());
        String found = mx.stream().map(x -> ((MXRecord) x).getPriority() + " " + DnsClient.text(((MXRecord) x).getTarget()))
                .collect(Collectors.joining(", "));
        String host = config.hostname();
        String ours = null;
        for (Record x : mx) {
            String target = DnsClient.text(((MXRecord) x).getTarget());
            List<InetAddress> addrs = dns.addresses(target);
            if (addrs.isEmpty()) {
                return new Row(r, Status.WRONG, found, "MX target " + target + " has no A record: senders cannot deliver to it"
                        + " (RFC 5321 §5.1) — publish its A record or point the MX at " + host);
            }
            boolean isUs = target.equals(host) || (!config.ip().isEmpty() && addrs.contains(ip(config.ip())));
            if (isUs && ours == null) ours = target;
        }
        if (ours == null) {
            return new Row(r, Status.WRONG, found, "mail for " + r.name() + " goes to another server, not to " + host
                    + " — change the MX to " + r.value());
        }
        return new Row(r, Status.OK, found, "");
    }

    private Row spf(DnsRecord r) throws DnsClient.LookupFailed {
        List<String> spf = Spf.spfRecords(dns.txt(r.name()));
        if (spf.isEmpty()) return new Row(r, Status.MISSING, "", "publish TXT \"" + r.value() + "\" at " + r.name());
        String found = spf.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
        if (spf.size() > 1) {
            return new Row(r, Status.WRONG, found, spf.size() + " SPF records: receivers treat that as a permanent error"
                    + " (RFC 7208 §4.5) — merge them into one: \"" + r.value() + "\"");
        }
        List<String> ips = new ArrayList<>();
        if (!config.ip().isEmpty()) ips.add(config.ip());
        if (!config.ipv6().isEmpty() && r.kind() == DnsRecord.Kind.SPF) ips.add(config.ipv6());
        for (String address : ips) {
            Spf.Verdict v = Spf.check(dns, r.name(), ip(address));
            if (v.result() == Spf.Result.TEMPERROR) throw new DnsClient.LookupFailed(v.reason(), null);
            if (v.result() != Spf.Result.PASS) {
                return new Row(r, Status.WRONG, found, "does not authorise " + address + " (SPF result "
                        + v.result().name().toLowerCase(Locale.ROOT) + ": " + v.reason() + ") — add ip4:/ip6: of this server,"
                        + " or replace it with \"" + r.value() + "\"");
            }
        }
        return new Row(r, Status.OK, found, ips.isEmpty() ? "no ip in mailwright.conf to check against" : "");
    }

    private Row dkim(DnsRecord r) throws DnsClient.LookupFailed {
        List<String> keys = dns.txt(r.name()).stream().filter(t -> t.contains("p=")).toList();
        if (keys.isEmpty()) return new Row(r, Status.MISSING, "", "publish the DKIM TXT record at " + r.name());
        String found = keys.stream().map(DnsCheck::abbreviate).collect(Collectors.joining(", "));
        if (keys.size() > 1) {
            return new Row(r, Status.WRONG, found, keys.size() + " key records at one selector: verifiers may pick either"
                    + " — keep only ours");
        }
        Map<String, String> tags = tags(keys.get(0));
        Map<String, String> want = tags(r.value());
        String p = tags.getOrDefault("p", "").replaceAll("\\s", "");
        if (p.isEmpty()) return new Row(r, Status.WRONG, found, "the key is revoked (empty p=, RFC 6376 §3.6.1) — publish ours");
        if (!p.equals(want.get("p"))) {
            return new Row(r, Status.WRONG, found, "another key is published at this selector: our signatures will fail"
                    + " — replace it with ours (`mailwright dns records` prints it)");
        }
        String k = tags.getOrDefault("k", "rsa");
        if (!k.equalsIgnoreCase(want.get("k"))) {
            return new Row(r, Status.WRONG, found, "key type k=" + k + " but our key is k=" + want.get("k") + " — publish ours");
        }
        return new Row(r, Status.OK, found, "");
    }

    private Row dmarc(DnsRecord r) throws DnsClient.LookupFailed {
        List<String> dmarc = dns.txt(r.name()).stream().filter(t -> t.startsWith("v=DMARC1")).toList();
        if (dmarc.isEmpty()) return new Row(r, Status.MISSING, "", "publish TXT \"" + r.value() + "\" at " + r.name());
        String found = dmarc.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
        if (dmarc.size() > 1) {
            return new Row(r, Status.WRONG, found, dmarc.size() + " DMARC records: receivers ignore them all (RFC 7489 §6.6.3) — keep one");
        }
        String p = tags(dmarc.get(0)).get("p");
        if (p == null || !p.matches("(?i)none|quarantine|reject")) {
            return new Row(r, Status.WRONG, found, "no valid p= policy (none, quarantine or reject) — use \"" + r.value() + "\"");
        }
        return new Row(r, Status.OK, found, p.equalsIgnoreCase("none")
                ? "p=none only collects reports; tighten to quarantine, then reject, once reports show only your server" : "");
    }

    private Row single(DnsRecord r, String version, String what) throws DnsClient.LookupFailed {
        List<String> found = dns.txt(r.name()).stream().filter(t -> t.startsWith(version)).toList();
        if (found.isEmpty()) return new Row(r, Status.MISSING, "", "publish TXT \"" + r.value() + "\" at " + r.name());
        String text = found.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
        if (found.size() > 1) return new Row(r, Status.WRONG, text, found.size() + " " + what + " records — keep one");
        return new Row(r, Status.OK, text, "");
    }

    private Row ptr(DnsRecord r) throws DnsClient.LookupFailed {
        List<String> names = dns.lookup(r.name(), Type.PTR).stream().map(x -> DnsClient.text(((PTRRecord) x).getTarget())).toList();
        String address = reverseToAddress(r.name());
        if (names.isEmpty()) {
            return new Row(r, Status.MISSING, "", "ask your hosting provider to set the reverse DNS (PTR) of " + address
                    + " to " + r.value());
        }
        String found = String.join(", ", names);
        InetAddress ip = ip(address);
        if (names.contains(r.value())) {
            List<InetAddress> forward = dns.addresses(r.value());
            if (forward.contains(ip)) return new Row(r, Status.OK, found, "forward-confirmed: " + r.value() + " resolves to " + address);
            return new Row(r, Status.WRONG, found, "not forward-confirmed: " + r.value() + " resolves to "
                    + (forward.isEmpty() ? "nothing" : addresses(forward)) + ", not " + address + " — fix its A record");
        }
        return new Row(r, Status.WRONG, found, address + " points back at " + found + ", not at " + r.value()
                + ", the name Mailwright greets with — ask your hosting provider to change the PTR");
    }

    private Row srv(DnsRecord r) throws DnsClient.LookupFailed {
        List<Record> srv = dns.lookup(r.name(), Type.SRV);
        if (srv.isEmpty()) return new Row(r, Status.MISSING, "", "publish SRV " + r.value() + " at " + r.name());
        String found = srv.stream().map(x -> {
            SRVRecord s = (SRVRecord) x;
            return s.getPriority() + " " + s.getWeight() + " " + s.getPort() + " " + DnsClient.text(s.getTarget());
        }).collect(Collectors.joining(", "));
        String[] want = r.value().split(" ");
        boolean ok = srv.stream().map(x -> (SRVRecord) x).anyMatch(s -> s.getPort() == Integer.parseInt(want[2])
                && DnsClient.text(s.getTarget()).equals(want[3]));
        return ok ? new Row(r, Status.OK, found, "")
                : new Row(r, Status.WRONG, found, "mail programs would be sent elsewhere — publish SRV " + r.value());
    }

    /** RFC 8659 §3: the relevant CAA set is the first non-empty one walking up from the name. */
    private Row caa(DnsRecord r) throws DnsClient.LookupFailed {
        String ca = r.value().replaceAll("^0 issue \"|\"$", "");
        String name = r.name();
        while (name.contains(".")) {
            List<Record> caa = dns.lookup(name, Type.CAA);
            if (!caa.isEmpty()) {
                String at = name.equals(r.name()) ? "" : " at " + name;
                List<String> issuers = caa.stream().map(x -> (CAARecord) x).filter(c -> c.getTag().equalsIgnoreCase("issue"))
                        .map(c -> c.getValue().split(";")[0].trim().toLowerCase(Locale.ROOT)).toList();
                String found = caa.stream().map(x -> (CAARecord) x)
                        .map(c -> c.getFlags() + " " + c.getTag() + " \"" + c.getValue() + "\"" + at)
                        .collect(Collectors.joining(", "));
                if (issuers.isEmpty()) return new Row(r, Status.MISSING, found, "no issue tag: any CA may issue — publish CAA " + r.value());
                if (issuers.contains(ca)) return new Row(r, Status.OK, found, "");
                return new Row(r, Status.WRONG, found, ca + " is not allowed to issue for " + r.name()
                        + ": certificate renewal will fail — add CAA " + r.value());
            }
            name = name.substring(name.indexOf('.') + 1);
        }
        return new Row(r, Status.MISSING, "", "publish CAA " + r.value() + " at " + r.name());
    }

    /** DKIM and DMARC tag=value lists (RFC 6376 §3.2). */
    static Map<String, String> tags(String record) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : record.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) tags.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
        }
        return tags;
    }

    static String reverseToAddress(String reverseName) {
        String n = reverseName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".in-addr.arpa")) {
            String[] p = n.substring(0, n.length() - ".in-addr.arpa".length()).split("\\.");
            return p[3] + "." + p[2] + "." + p[1] + "." + p[0];
        }
        String[] nibbles = n.substring(0, n.length() - ".ip6.arpa".length()).split("\\.");
        StringBuilder b = new StringBuilder();
        for (int i = nibbles.length - 1; i >= 0; i--) {
            b.append(nibbles[i]);
            if (i % 4 == 0 && i > 0) b.append(':');
        }
        return ip(b.toString()).getHostAddress();
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + literal, e);
        }
    }

    private static String addresses(List<InetAddress> list) {
        return list.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
    }

    private static String abbreviate(String s) {
        return "\"" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + "\"";
    }
}
