package org.mailwright.dns;

import com.google.common.net.InternetDomainName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import org.mailwright.dkim.DkimVerifier;

/**
 * DMARC (RFC 7489) for a received message: finds the policy of the From domain (at {@code _dmarc.DOMAIN}, else at
 * its organizational domain), and passes the message when SPF passed for an aligned MAIL FROM domain or a DKIM
 * signature of an aligned domain verified. Alignment is relaxed (same organizational domain, from the public-suffix
 * list Guava carries) or strict ({@code aspf=s}, {@code adkim=s}: the same domain).
 */
public final class Dmarc {

    public enum Policy { NONE, QUARANTINE, REJECT;
        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Result { PASS, FAIL, NONE, TEMPERROR, PERMERROR;
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A published policy record ({@code v=DMARC1; p=…}). */
    public record Record(Policy policy, Policy subdomainPolicy, int percent, boolean strictSpf, boolean strictDkim, List<String> rua) {}

    /**
     * What DMARC says of the message: the result, the policy to apply (already reduced by {@code pct}: a message
     * outside the percentage gets the next milder policy), and why, in words for the maillog.
     */
    public record Verdict(Result result, String fromDomain, Policy apply, String reason) {
        /** Nothing to do but deliver: a pass, no policy, or a failure whose policy is none. */
        public boolean deliver() {
            return result != Result.FAIL || apply == Policy.NONE;
        }
    }

    /** TXT lookups for the policy records. */
    @FunctionalInterface
    public interface Lookup {
        List<String> txt(String name) throws DnsClient.LookupFailed;
    }

    private Dmarc() {}

    /**
     * The DMARC verdict for a message whose header From domain is {@code fromDomain}, whose SPF check of
     * {@code spfDomain} (the MAIL FROM domain, or the HELO name for a null sender) gave {@code spf}, with these
     * DKIM verdicts. {@code percentDice} returns 0–99 (a random number; tests pass a fixed one).
     */
    public static Verdict evaluate(Lookup dns, String fromDomain, Spf.Result spf, String spfDomain,
                                   List<DkimVerifier.Verdict> dkim, IntSupplier percentDice) {
        String from = normalise(fromDomain);
        String org = organizationalDomain(from);
        Record found;
        boolean atOrg = false;
        try {
            found = find(dns, from);
            if (found == null && !org.equals(from)) {
                found = find(dns, org);
                atOrg = found != null;
            }
        } catch (DnsClient.LookupFailed e) {
            return new Verdict(Result.TEMPERROR, from, Policy.NONE, "the DMARC record of " + from + " could not be looked up: " + e.getMessage());
        }
        if (found == null) return new Verdict(Result.NONE, from, Policy.NONE, "no DMARC record for " + from);
        Record record = found;

        String spfD = normalise(spfDomain);
        boolean spfAligned = spf == Spf.Result.PASS && aligned(from, spfD, record.strictSpf());
        String dkimAligned = dkim.stream().filter(DkimVerifier.Verdict::passed).map(v -> normalise(v.domain()))
                .filter(d -> aligned(from, d, record.strictDkim())).findFirst().orElse(null);
        if (spfAligned || dkimAligned != null) {
            return new Verdict(Result.PASS, from, Policy.NONE, spfAligned ? "SPF passed for " + spfD : "DKIM passed for " + dkimAligned);
        }
        Policy policy = atOrg && record.subdomainPolicy() != null ? record.subdomainPolicy() : record.policy();
        boolean sampled = percentDice.getAsInt() < record.percent();
        Policy apply = sampled ? policy : milder(policy);
        String why = "neither SPF (" + spf.name().toLowerCase(Locale.ROOT) + " for " + (spfD.isEmpty() ? "no domain" : spfD) + ")"
                + " nor DKIM (" + (dkim.isEmpty() ? "no signature" : describe(dkim)) + ") passed aligned with " + from
                + "; policy " + policy.word() + (sampled ? "" : " (outside pct=" + record.percent() + ": " + apply.word() + ")");
        return new Verdict(Result.FAIL, from, apply, why);
    }

    private static String describe(List<DkimVerifier.Verdict> dkim) {
        List<String> parts = new ArrayList<>();
        for (DkimVerifier.Verdict v : dkim) parts.add(v.result().word() + (v.domain().isEmpty() ? "" : " for " + v.domain()));
        return String.join(", ", parts);
    }

    private static Policy milder(Policy p) {
        return switch (p) {
            case REJECT -> Policy.QUARANTINE;
            case QUARANTINE, NONE -> Policy.NONE;
        };
    }

    /** The one DMARC record at {@code _dmarc.DOMAIN} (RFC 7489 §6.6.3: none, or several, is no policy there). */
    static Record find(Lookup dns, String domain) throws DnsClient.LookupFailed {
        List<Record> found = new ArrayList<>();
        for (String txt : dns.txt("_dmarc." + domain)) {
            Record r = parse(txt);
            if (r != null) found.add(r);
        }
        return found.size() == 1 ? found.get(0) : null;
    }

    /**
     * A DMARC record, or null when the text is not one (it must start with {@code v=DMARC1}). An unknown or missing
     * {@code p=} in a record that has {@code rua=} is read as {@code p=none} (§6.6.3), otherwise the record is ignored.
     */
    public static Record parse(String txt) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : txt.split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0) continue;
            tags.putIfAbsent(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1).strip());
        }
        if (tags.isEmpty() || !tags.keySet().iterator().next().equals("v") || !tags.get("v").equals("DMARC1")) return null;
        Policy p = policy(tags.get("p"));
        List<String> rua = tags.containsKey("rua") ? List.of(tags.get("rua").split("\\s*,\\s*")) : List.of();
        if (p == null) {
            if (rua.isEmpty()) return null;
            p = Policy.NONE;
        }
        int pct = 100;
        if (tags.containsKey("pct")) {
            try {
                pct = Math.max(0, Math.min(100, Integer.parseInt(tags.get("pct"))));
            } catch (NumberFormatException e) {
                pct = 100;
            }
        }
        return new Record(p, policy(tags.get("sp")), pct, "s".equalsIgnoreCase(tags.get("aspf")), "s".equalsIgnoreCase(tags.get("adkim")), rua);
    }

    private static Policy policy(String word) {
        if (word == null) return null;
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "none" -> Policy.NONE;
            case "quarantine" -> Policy.QUARANTINE;
            case "reject" -> Policy.REJECT;
            default -> null;
        };
    }

    static boolean aligned(String from, String other, boolean strict) {
        if (other.isEmpty()) return false;
        return strict ? from.equals(other) : organizationalDomain(from).equals(organizationalDomain(other));
    }

    /**
     * The organizational domain (RFC 7489 §3.2): one label more than the public suffix ({@code mail.example.co.uk}
     * → {@code example.co.uk}). A name under no listed suffix is under its top-level label ({@code a.b.test} →
     * {@code b.test}).
     */
    public static String organizationalDomain(String domain) {
        String d = normalise(domain);
        try {
            InternetDomainName n = InternetDomainName.from(d);
            if (n.isUnderPublicSuffix()) return n.topPrivateDomain().toString();
            if (n.isPublicSuffix()) return d;
        } catch (IllegalArgumentException notAName) {
            return d;
        }
        int last = d.lastIndexOf('.');
        int before = last <= 0 ? -1 : d.lastIndexOf('.', last - 1);
        return before < 0 ? d : d.substring(before + 1);
    }

    private static String normalise(String domain) {
        String d = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }
}
