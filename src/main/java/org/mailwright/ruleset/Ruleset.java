package org.mailwright.ruleset;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.mailwright.config.Config;
import org.mailwright.mail.Addresses;

/**
 * smtpd.conf's rules: each {@code [[match]]} is checked in order, the first that matches decides.
 * Nothing matches → reject: nobody relays unless a rule says so. One small predicate per criterion,
 * as in OpenSMTPD's ruleset.c; the rules arrive parsed (ConfigLoader), so nothing is re-parsed per RCPT.
 */
public final class Ruleset {
    private final List<Compiled> rules = new ArrayList<>();

    public Ruleset(Config config) {
        for (Config.MatchRule r : config.matches()) {
            rules.add(new Compiled(r, from(r.from()), forWhat(r.forWhat(), config)));
        }
    }

    /** Where a message comes from: the client's address, whether it logged in, whether it is local (sendmail). */
    public record Origin(InetAddress address, boolean authenticated, boolean local) {}

    /** The decision and the rule that made it (index from 1, 0 when no rule matched) for the log. */
    public record Decision(Config.Action action, int rule, String reason) {}

    private record Compiled(Config.MatchRule rule, Predicate<Origin> from, Predicate<String> forWhat) {}

    public Decision decide(Origin origin, String recipient) {
        for (int i = 0; i < rules.size(); i++) {
            Compiled c = rules.get(i);
            if (c.from().test(origin) && c.forWhat().test(recipient)) {
                Config.MatchRule r = c.rule();
                return new Decision(r.action(), i + 1, "from " + r.from().word() + " for " + r.forWhat().word());
            }
        }
        return new Decision(Config.Action.REJECT, 0, "no rule matched");
    }

    /**
     * Whether a rule lets {@code address} relay by its network ({@code from = "src:…"}, {@code action = "relay"}): a
     * network of ours, trusted like a logged-in user (Postfix's mynetworks), so its mail is not judged as another
     * server's.
     */
    public boolean trustsNetworkOf(InetAddress address) {
        return rules.stream().anyMatch(c -> c.rule().action() == Config.Action.RELAY
                && c.rule().from() instanceof Config.From.Src src && src.contains(address));
    }

    static Predicate<Origin> from(Config.From from) {
        if (from instanceof Config.From.Src src) return origin -> src.contains(origin.address());
        if (from instanceof Config.From.Local) return Origin::local;
        if (from instanceof Config.From.Auth) return Origin::authenticated;
        return origin -> true;
    }

    static Predicate<String> forWhat(Config.For forWhat, Config config) {
        if (forWhat instanceof Config.For.Local) return rcpt -> config.isLocalDomain(Addresses.domainOf(rcpt));
        if (forWhat instanceof Config.For.Domain d) return rcpt -> Addresses.domainOf(rcpt).equalsIgnoreCase(d.domain());
        if (forWhat instanceof Config.For.Rcpt r) return rcpt -> rcpt.equalsIgnoreCase(r.address());
        return rcpt -> true;
    }
}
