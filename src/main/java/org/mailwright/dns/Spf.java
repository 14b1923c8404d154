package org.mailwright.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwright.mail.Addresses;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * An SPF evaluation (RFC 7208 §4–5, the {@code check_host()} function) of one address for one sender: every
 * mechanism ({@code all}, {@code include}, {@code a}, {@code mx}, {@code ptr}, {@code ip4}, {@code ip6},
 * {@code exists}), {@code redirect=}, every macro of §7 with its transformers, and the limits of §4.6.4 (10 lookups
 * that cost DNS, 2 void lookups). Used on receive (MAIL FROM and HELO) and by the DNS check of our own record.
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

    /** RFC 7208 §4.6.4: more than 2 lookups that answer nothing is a permerror. */
    static final int MAX_VOID_LOOKUPS = 2;

    private final DnsClient dns;
    private final InetAddress ip;
    /** The sender as §7.2 reads it: {@code local@domain} (postmaster@HELO for the null sender), and the HELO name. */
    private final String sender;
    private final String helo;
    private int lookups;
    private int voidLookups;
    private String validatedName;

    private Spf(DnsClient dns, InetAddress ip, String sender, String helo) {
        this.dns = dns;
        this.ip = ip;
        this.sender = sender;
        this.helo = helo;
    }

    /** SPF records among TXT strings (RFC 7208 §4.5): "v=spf1" followed by a space or nothing. */
    public static List<String> spfRecords(List<String> txt) {
        return txt.stream().filter(t -> SPF_RECORD.matcher(t.trim()).matches()).toList();
    }

    /** Whether {@code domain}'s record authorises {@code ip} (a sender {@code postmaster@domain}): the DNS check's question. */
    public static Verdict check(DnsClient dns, String domain, InetAddress ip) {
        String d = domain.toLowerCase(Locale.ROOT);
        return new Spf(dns, ip, "postmaster@" + d, d).evaluate(d, 0);
    }

    /**
     * The receive check of MAIL FROM (RFC 7208 §2.4): {@code mailFrom} empty (a bounce) checks the HELO identity
     * as postmaster@HELO. The result names the domain it judged in its reason.
     */
    public static Verdict checkMailFrom(DnsClient dns, InetAddress ip, String mailFrom, String helo) {
        String h = helo == null ? "" : helo.toLowerCase(Locale.ROOT);
        String from = mailFrom == null || mailFrom.isBlank() ? "postmaster@" + h : mailFrom.toLowerCase(Locale.ROOT);
        int at = from.lastIndexOf('@');
        String domain = at < 0 ? from : from.substring(at + 1);
        if (at <= 0) from = "postmaster@" + domain;
        if (!isDomain(domain)) return new Verdict(Result.NONE, "\"" + domain + "\" is not a domain SPF can check");
        return new Spf(dns, ip, from, h).evaluate(domain, 0);
    }

    /** The receive check of the HELO identity (RFC 7208 §2.3). */
    public static Verdict checkHelo(DnsClient dns, InetAddress ip, String helo) {
        String h = helo == null ? "" : helo.toLowerCase(Locale.ROOT);
        if (!isDomain(h)) return new Verdict(Result.NONE, "\"" + helo + "\" is not a domain SPF can check");
        return new Spf(dns, ip, "postmaster@" + h, h).evaluate(h, 0);
    }

    private static boolean isDomain(String d) {
        return d.contains(".") && d.matches("[a-z0-9._-]+") && !d.startsWith(".") && !d.endsWith(".");
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
                    List<Record> addresses = dns.lookup(arg == null ? domain : arg, v4 ? Type.A : Type.AAAA);
                    countVoid(addresses.isEmpty());
                    return anyMatches(addresses, bits);
                }
                case "mx": {
                    countLookup();
                    List<Record> mx = dns.lookup(arg == null ? domain : arg, Type.MX);
                    countVoid(mx.isEmpty());
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
                    boolean exists = !dns.ipv4(arg).isEmpty();
                    countVoid(!exists);
                    return exists;
                }
                case "ptr": {
                    // Deprecated (RFC 7208 §5.5) but still published: a validated name of the address in the target.
                    countLookup();
                    String target = arg == null ? domain : arg;
                    for (String name : validatedNames()) {
                        if (name.equals(target) || name.endsWith("." + target)) return true;
                    }
                    return false;
                }
                default:
                    throw new PermError("unknown mechanism " + mech);
            }
        } catch (DnsClient.LookupFailed e) {
            return null;
        }
    }

    private void countVoid(boolean empty) throws PermError {
        if (empty && ++voidLookups > MAX_VOID_LOOKUPS) {
            throw new PermError("more than " + MAX_VOID_LOOKUPS + " DNS lookups that found nothing (RFC 7208 §4.6.4)");
        }
    }

    /**
     * The names of the address whose own addresses include it again (RFC 7208 §5.5: PTR, then A/AAAA of each
     * name, at most 10 names). A failing lookup of one name only drops that name.
     */
    private List<String> validatedNames() throws DnsClient.LookupFailed {
        List<String> out = new java.util.ArrayList<>();
        List<Record> ptrs = dns.lookup(reverseName(), Type.PTR);
        for (Record r : ptrs.subList(0, Math.min(10, ptrs.size()))) {
            String name = DnsClient.text(((org.xbill.DNS.PTRRecord) r).getTarget()).toLowerCase(Locale.ROOT);
            if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
            try {
                if (anyAddressMatches(name, ip instanceof Inet4Address ? 32 : 128)) out.add(name);
            } catch (DnsClient.LookupFailed e) {
                // this name cannot be validated; the others still may be
            }
        }
        return out;
    }

    /** {@code 4.3.2.1.in-addr.arpa}, or the nibbles of an IPv6 address under {@code ip6.arpa}. */
    private String reverseName() {
        return String.join(".", reverse(dotted().split("\\."))) + (ip instanceof Inet4Address ? ".in-addr.arpa" : ".ip6.arpa");
    }

    /** The address as §7.3 writes it: dotted quads, or 32 dot-separated nibbles for IPv6. */
    private String dotted() {
        if (ip instanceof Inet4Address) return ip.getHostAddress();
        StringBuilder b = new StringBuilder();
        for (byte x : ip.getAddress()) {
            if (b.length() > 0) b.append('.');
            b.append(Character.forDigit((x >> 4) & 0xf, 16)).append('.').append(Character.forDigit(x & 0xf, 16));
        }
        return b.toString();
    }

    private boolean anyAddressMatches(String name, int bits) throws DnsClient.LookupFailed {
        return anyMatches(dns.lookup(name, ip instanceof Inet4Address ? Type.A : Type.AAAA), bits);
    }

    private boolean anyMatches(List<Record> records, int bits) {
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

    private static final Pattern MACRO = Pattern.compile("%(?:\\{([slodiphcrtvSLODIPHCRTV])(\\d*)(r?)([.\\-+,/_=]*)\\}|(.))");

    /**
     * Expands the macros of a domain-spec (RFC 7208 §7): {@code %{s} %{l} %{o} %{d} %{i} %{p} %{v} %{h}} with
     * their transformers (keep the N rightmost parts, {@code r} reverses, other delimiters than "."), an upper-case
     * letter URL-escapes, and {@code %% %_ %-}. The result is shortened from the left to 253 characters (§7.3).
     */
    private String expand(String spec, String domain) throws PermError {
        if (!spec.contains("%")) return spec.toLowerCase(Locale.ROOT);
        Matcher m = MACRO.matcher(spec);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(spec, last, m.start());
            last = m.end();
            if (m.group(5) != null) {
                switch (m.group(5)) {
                    case "%" -> out.append('%');
                    case "_" -> out.append(' ');
                    case "-" -> out.append("%20");
                    default -> throw new PermError("\"%" + m.group(5) + "\" is not an SPF macro (in \"" + spec + "\" of " + domain + ")");
                }
                continue;
            }
            char letter = m.group(1).charAt(0);
            String value = macroValue(Character.toLowerCase(letter), domain);
            String delimiters = m.group(4).isEmpty() ? "." : m.group(4);
            List<String> parts = new java.util.ArrayList<>(List.of(value.split("[" + Pattern.quote(delimiters) + "]", -1)));
            if (!m.group(3).isEmpty()) java.util.Collections.reverse(parts);
            if (!m.group(2).isEmpty()) {
                int keep = Integer.parseInt(m.group(2));
                if (keep == 0) throw new PermError("%{" + letter + "0} keeps no part (in \"" + spec + "\" of " + domain + ")");
                if (keep < parts.size()) parts = parts.subList(parts.size() - keep, parts.size());
            }
            String expanded = String.join(".", parts);
            out.append(Character.isUpperCase(letter) ? java.net.URLEncoder.encode(expanded, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20") : expanded);
        }
        if (spec.indexOf('%', last) >= 0) throw new PermError("an unfinished macro in \"" + spec + "\" of " + domain);
        out.append(spec, last, spec.length());
        String s = out.toString().toLowerCase(Locale.ROOT);
        while (s.length() > 253 && s.indexOf('.') >= 0) s = s.substring(s.indexOf('.') + 1);
        return s;
    }

    private String macroValue(char letter, String domain) throws PermError {
        return switch (letter) {
            case 's' -> sender;
            case 'l' -> Addresses.localPart(sender);
            case 'o' -> Addresses.domainOf(sender);
            case 'd' -> domain;
            case 'i' -> dotted();
            case 'v' -> ip instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h' -> helo;
            case 'p' -> {
                if (validatedName == null) {
                    try {
                        List<String> names = validatedNames();
                        validatedName = names.stream().filter(n -> n.equals(domain) || n.endsWith("." + domain)).findFirst()
                                .orElse(names.isEmpty() ? "unknown" : names.get(0));
                    } catch (DnsClient.LookupFailed e) {
                        validatedName = "unknown";
                    }
                }
                yield validatedName;
            }
            default -> throw new PermError("%{" + letter + "} is only for explanations, not for a domain-spec (SPF of " + domain + ")");
        };
    }

    private static String[] reverse(String[] parts) {
        String[] out = new String[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = parts[parts.length - 1 - i];
        return out;
    }
}
