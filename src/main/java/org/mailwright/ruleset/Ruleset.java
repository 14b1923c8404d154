package org.mailwright.ruleset;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import org.mailwright.config.Config;

/**
 * smtpd.conf's rules: each {@code [[match]]} is checked in order, the first that matches decides.
 * Nothing matches → reject: nobody relays unless a rule says so. One small predicate per criterion,
 * as in OpenSMTPD's ruleset.c.
 */
public final class Ruleset {
    private final List<Config.MatchRule> rules;
    private final Config config;

    public Ruleset(Config config) {
        this.config = config;
        this.rules = config.matches();
    }

    /** Where a message comes from: the client's address, whether it logged in, whether it is local (sendmail). */
    public record Origin(InetAddress address, boolean authenticated, boolean local) {}

    /** The decision and the rule that made it (index from 1, 0 when no rule matched) for the log. */
    public record Decision(Config.Action action, int rule, String reason) {}

    public Decision decide(Origin origin, String recipient) {
        for (int i = 0; i < rules.size(); i++) {
            Config.MatchRule r = rules.get(i);
            if (matchFrom(r.from(), origin) && matchFor(r.forWhat(), recipient)) {
                return new Decision(r.action(), i + 1, "from " + r.from() + " for " + r.forWhat());
            }
        }
        return new Decision(Config.Action.REJECT, 0, "no rule matched");
    }

    static boolean matchFrom(String from, Origin origin) {
        return switch (from) {
            case "any" -> true;
            case "local" -> origin.local();
            case "auth" -> origin.authenticated();
            default -> from.startsWith("src:") && inNetwork(origin.address(), from.substring(4));
        };
    }

    boolean matchFor(String forWhat, String recipient) {
        String domain = domainOf(recipient);
        if (forWhat.equals("any")) return true;
        if (forWhat.equals("local")) return config.isLocalDomain(domain);
        if (forWhat.startsWith("domain:")) return domain.equalsIgnoreCase(forWhat.substring(7));
        if (forWhat.startsWith("rcpt:")) return recipient.equalsIgnoreCase(forWhat.substring(5));
        return false;
    }

    public static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    static boolean inNetwork(InetAddress address, String cidr) {
        if (address == null) return false;
        String[] parts = cidr.split("/", 2);
        byte[] net;
        try {
            net = InetAddress.getByName(parts[0]).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        byte[] a = address.getAddress();
        if (a.length != net.length) return false;
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : a.length * 8;
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (net[i] & mask)) return false;
        }
        return true;
    }
}
