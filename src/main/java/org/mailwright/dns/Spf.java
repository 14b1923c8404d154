package org.mailwright.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * An SPF evaluation (RFC 7208 §4–5) of one address against one domain, through the checker's DNS:
 * enough to tell whether a published record authorises our IP, however it is written
 * ({@code mx}, {@code a}, {@code ip4}, {@code include:}, {@code redirect=}).
 */
public final class Spf {
    /** RFC 7208 §4.6.4: at most 10 mechanisms and modifiers that cause DNS lookups. */
    static final int MAX_DNS_LOOKUPS = 10;

    public enum Result { PASS, FAIL, SOFTFAIL, NEUTRAL, NONE, PERMERROR, TEMPERROR }

    /** The result and the term (or the problem) that decided it. */
    public record Verdict(Result result, String reason) {}

    private static final Pattern SPF_RECORD = Pattern.compile("(?i)^v=spf1(\\s.*)?$");
    private static final Pattern MECHANISM = Pattern.compile(
            "(?i)^([-+~?]?)(all|include|a|mx|ip4|ip6|ptr|exists)(?::([^/]*))?(?:/(\\d+))?(?://(\\d+))?$");

    private final DnsClient dns;
    private final InetAddress ip;
    private int lookups;

    private Spf(DnsClient dns, InetAddress ip) {
        this.dns = dns;
        this.ip = ip;
    }

    /** SPF records among TXT strings (RFC 7208 §4.5): "v=spf1" followed by a space or nothing. */
    public static List<String> spfRecords(List<String> txt) {
        return txt.stream().filter(t -> SPF_RECORD.matcher(t.trim()).matches()).toList();
    }

    public static Verdict check(DnsClient dns, String domain, InetAddress ip) {
        return new Spf(dns, ip).evaluate(domain.toLowerCase(Locale.ROOT), 0);
    }

    private static final class PermError extends Exception {
        PermError(String m) { super(m); }
    }

    private Verdict evaluate(String domain, int depth) {
        List<String> records;
        try {
            records = spfRecords(dns.txt(domain));
        } catch (DnsClient.LookupFailed e) {
            return new Verdict(Result.TEMPERROR, e.getMessage());
        }
        if (records.isEmpty()) return new Verdict(Result.NONE, domain + " has no SPF record");
        if (records.size() > 1) {
            return new Verdict(Result.PERMERROR, domain + " has " + records.size() + " SPF records (RFC 7208 §4.5 allows one)");
        }
        String redirect = null;
        try {
            String[] terms = records.get(0).trim().split("\\s+");
            for (int i = 1; i < terms.length; i++) {
                String term = terms[i];
                if (term.toLowerCase(Locale.ROOT).startsWith("redirect=")) {
                    redirect = expand(term.substring(9), domain);
                    continue;
                }
                if (term.matches("(?i)^[a-z][a-z0-9._-]*=.*")) continue; // exp= and unknown modifiers (§6)
                Matcher m = MECHANISM.matcher(term);
                if (!m.matches()) throw new PermError("unknown term \"" + term + "\" in the SPF record of " + domain);
                String mech = m.group(2).toLowerCase(Locale.ROOT);
                String arg = m.group(3);
                Boolean match = matches(mech, arg == null ? null : (mech.startsWith("ip") ? arg : expand(arg, domain)),
                        m.group(4), m.group(5), domain, depth);
                if (match == null) return new Verdict(Result.TEMPERROR, "DNS failed while evaluating \"" + term + "\" of " + domain);
                if (match) return new Verdict(qualifier(m.group(1)), "\"" + term + "\" in the SPF record of " + domain);
            }
            if (redirect != null) {
                countLookup();
                Verdict v = evaluate(redirect, depth + 1);
                return v.result() == Result.NONE ? new Verdict(Result.PERMERROR, "redirect=" + redirect + ": " + v.reason()) : v;
            }
        } catch (PermError e) {
            return new Verdict(Result.PERMERROR, e.getMessage());
        }
        return new Verdict(Result.NEUTRAL, "nothing in the SPF record of " + domain + " matches " + ip.getHostAddress());
    }

    private static Result qualifier(String q) {
        return switch (q) {
            case "-" -> Result.FAIL;
            case "~" -> Result.SOFTFAIL;
            case "?" -> Result.NEUTRAL;
            default -> Result.PASS;
        };
    }

    private void countLookup() throws PermError {
        if (++lookups > MAX_DNS_LOOKUPS) {
            throw new PermError("more than " + MAX_DNS_LOOKUPS + " DNS lookups (RFC 7208 §4.6.4)");
        }
    }

    /** True/false; null when DNS failed (temperror). */
    private Boolean matches(String mech, String arg, String cidr4, String cidr6, String domain, int depth) throws PermError {
        boolean v4 = ip instanceof Inet4Address;
        int bits = v4 ? (cidr4 == null ? 32 : Integer.parseInt(cidr4)) : (cidr6 == null ? 128 : Integer.parseInt(cidr6));
        try {
            switch (mech) {
                case "all":
                    return true;
                case "ip4":
                case "ip6": {
                    if (arg == null) throw new PermError(mech + " without an address in the SPF record of " + domain);
                    if (mech.equals("ip4") != v4) return false;
                    int prefix = cidr4 == null ? (v4 ? 32 : 128) : Integer.parseInt(cidr4);
                    return inNetwork(ip, parse(arg, domain), prefix);
                }
                case "a": {
                    countLookup();
                    return anyAddressMatches(arg == null ? domain : arg, bits);
                }
                case "mx": {
                    countLookup();
                    List<Record> mx = dns.lookup(arg == null ? domain : arg, Type.MX);
                    if (mx.size() > 10) throw new PermError("more than 10 MX names for \"mx\" (RFC 7208 §4.6.4)");
                    for (Record r : mx) {
                        if (anyAddressMatches(DnsClient.text(((MXRecord) r).getTarget()), bits)) return true;
                    }
                    return false;
                }
                case "include": {
                    if (arg == null) throw new PermError("include without a domain in the SPF record of " + domain);
                    countLookup();
                    if (depth >= MAX_DNS_LOOKUPS) throw new PermError("include loop at " + arg);
                    Verdict v = evaluate(arg, depth + 1);
                    return switch (v.result()) {
                        case PASS -> true;
                        case FAIL, SOFTFAIL, NEUTRAL -> false;
                        case TEMPERROR -> null;
                        case NONE, PERMERROR -> throw new PermError("include:" + arg + ": " + v.reason());
                    };
                }
                case "exists": {
                    if (arg == null) throw new PermError("exists without a domain in the SPF record of " + domain);
                    countLookup();
                    return !dns.ipv4(arg).isEmpty();
                }
                case "ptr": {
                    // Deprecated (RFC 7208 §5.5): counted, not evaluated; a record that relies on it is judged without it.
                    countLookup();
                    return false;
                }
                default:
                    throw new PermError("unknown mechanism " + mech);
            }
        } catch (DnsClient.LookupFailed e) {
            return null;
        }
    }

    private boolean anyAddressMatches(String name, int bits) throws DnsClient.LookupFailed {
        List<Record> records = dns.lookup(name, ip instanceof Inet4Address ? Type.A : Type.AAAA);
        for (Record r : records) {
            InetAddress a = r instanceof org.xbill.DNS.ARecord ar ? ar.getAddress() : ((org.xbill.DNS.AAAARecord) r).getAddress();
            if (inNetwork(ip, a, bits)) return true;
        }
        return false;
    }

    private static InetAddress parse(String literal, String domain) throws PermError {
        if (!literal.matches("[0-9a-fA-F:.]+")) throw new PermError("\"" + literal + "\" is not an IP address (SPF of " + domain + ")");
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new PermError("\"" + literal + "\" is not an IP address (SPF of " + domain + ")");
        }
    }

    static boolean inNetwork(InetAddress a, InetAddress net, int bits) {
        byte[] x = a.getAddress();
        byte[] y = net.getAddress();
        if (x.length != y.length) return false;
        for (int i = 0; i < x.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((x[i] & mask) != (y[i] & mask)) return false;
        }
        return true;
    }

    /** The macros most records use (RFC 7208 §7): %{d} %{i} %{ir} %{o} %% %_ %-; others are not evaluated. */
    private String expand(String spec, String domain) throws PermError {
        if (!spec.contains("%")) return spec.toLowerCase(Locale.ROOT);
        String ipText = ip.getHostAddress();
        String reversed = String.join(".", reverse(ipText.split("\\.")));
        String s = spec.replace("%%", "\u0000").replace("%_", " ").replace("%-", "%20")
                .replace("%{d}", domain).replace("%{o}", domain).replace("%{i}", ipText).replace("%{ir}", reversed);
        if (s.contains("%")) throw new PermError("SPF macro in \"" + spec + "\" that Mailwright's check does not evaluate");
        return s.replace("\u0000", "%").toLowerCase(Locale.ROOT);
    }

    private static String[] reverse(String[] parts) {
        String[] out = new String[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = parts[parts.length - 1 - i];
        return out;
    }
}
