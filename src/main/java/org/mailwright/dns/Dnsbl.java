package org.mailwright.dns;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.ReverseMap;

/**
 * DNS blocklists (RFC 5782): a list names a client address by answering an A record in 127.0.0.0/8 at
 * REVERSED-IP.ZONE ({@code 2.0.0.127.zen.spamhaus.org}; IPv6 in nibbles), with an optional TXT record saying why.
 *
 * <p>Answers, listed or not, are kept for {@link #CACHE_FOR} (at most {@link #CACHE_SIZE} of them, least recently
 * used dropped first), so a busy client costs one query per list every few minutes, not one per connection. A list
 * that cannot answer (timeout, SERVFAIL, or one of Spamhaus's 127.255.255.x "query refused" codes) lists nobody
 * and is asked again next time: a blocklist outage must not refuse mail.
 */
public final class Dnsbl {
    static final Duration CACHE_FOR = Duration.ofMinutes(5);
    static final int CACHE_SIZE = 10_000;
    /** How much of a list's TXT reason goes into a reply. */
    static final int REASON_LENGTH = 120;

    /** {@code client} is listed by {@code zone}; {@code reason} is its TXT record, made safe for a reply ("" if none). */
    public record Listing(String zone, String reason) {}

    /** {@code zone} could not say whether the client is listed. */
    public record Failure(String zone, String error) {}

    /** The first list naming the client (null when none does), and the lists that could not answer. */
    public record Verdict(Listing listing, List<Failure> failures) {}

    /** A cached answer: {@code listing} null for "not listed". */
    private record Cached(Listing listing, Instant until) {}

    private final Clock clock;
    private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    public Dnsbl(Clock clock) {
        this.clock = clock;
    }

    /**
     * Asks {@code zones} in order about {@code client} through {@code resolver} ({@code HOST:PORT}, empty for the
     * system's) and stops at the first that lists it.
     */
    public Verdict check(InetAddress client, List<String> zones, String resolver) {
        List<Failure> failures = new ArrayList<>();
        DnsClient dns = null; // made on the first miss; it gives up on the rest of this check after a timeout
        for (String z : zones) {
            String zone = DnsRecord.stripDot(z.toLowerCase(Locale.ROOT));
            String key = zone + " " + client.getHostAddress();
            Cached hit = cached(key);
            if (hit != null) {
                if (hit.listing() != null) return new Verdict(hit.listing(), failures);
                continue;
            }
            try {
                if (dns == null) dns = DnsClient.of(resolver);
                Listing listing = ask(dns, client, zone);
                remember(key, listing);
                if (listing != null) return new Verdict(listing, failures);
            } catch (DnsClient.LookupFailed | IllegalArgumentException e) {
                failures.add(new Failure(zone, e.getMessage()));
            }
        }
        return new Verdict(null, failures);
    }

    private static Listing ask(DnsClient dns, InetAddress client, String zone) throws DnsClient.LookupFailed {
        String name = queryName(client, zone);
        List<InetAddress> answers = dns.ipv4(name);
        Listing listing = null;
        for (InetAddress a : answers) {
            byte[] b = a.getAddress();
            if (b[0] != 127) continue; // RFC 5782 §2.1: only 127.0.0.0/8 means listed
            if ((b[1] & 0xff) == 255 && (b[2] & 0xff) == 255) {
                // Spamhaus: 127.255.255.252 typo in the zone, .254 public resolver, .255 too many queries
                throw new DnsClient.LookupFailed(zone + " refused the query (answer " + a.getHostAddress()
                        + "); ask it through your own resolver, within its terms", null);
            }
            listing = new Listing(zone, "");
        }
        if (listing == null) return null;
        try {
            List<String> txt = dns.txt(name);
            return txt.isEmpty() ? listing : new Listing(zone, replyText(txt.get(0)));
        } catch (DnsClient.LookupFailed e) {
            return listing; // listed all the same; the reason is only a courtesy
        }
    }

    /** REVERSED-IP.ZONE (RFC 5782 §2.1 and §2.4). */
    static String queryName(InetAddress client, String zone) {
        String reversed = ReverseMap.fromAddress(client).toString();
        reversed = reversed.substring(0, reversed.length() - (reversed.endsWith(".in-addr.arpa.") ? ".in-addr.arpa.".length() : ".ip6.arpa.".length()));
        return reversed + "." + zone;
    }

    /** Printable ASCII with runs of white space as one space, cut short: a list's text goes into our SMTP reply. */
    static String replyText(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (b.length() >= REASON_LENGTH) break;
            boolean space = c == ' ' || c == '\t' || c < 0x20 || c > 0x7e;
            if (space) {
                if (b.length() > 0 && b.charAt(b.length() - 1) != ' ') b.append(' ');
            } else {
                b.append(c);
            }
        }
        return b.toString().strip();
    }

    private synchronized Cached cached(String key) {
        Cached c = cache.get(key);
        if (c == null) return null;
        if (clock.instant().isBefore(c.until())) return c;
        cache.remove(key);
        return null;
    }

    private synchronized void remember(String key, Listing listing) {
        cache.put(key, new Cached(listing, clock.instant().plus(CACHE_FOR)));
    }
}
