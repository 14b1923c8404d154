package org.mailwright.ruleset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailwright.config.Config;
import org.mailwright.lookup.AliasFile;
import org.mailwright.lookup.Aliases;
import org.mailwright.lookup.Recipients;
import org.mailwright.lookup.Srs;
import org.mailwright.mail.Addresses;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.Spool;

/**
 * Where mail for one recipient goes, decided once for every way mail arrives (SMTP RCPT, local submission, the
 * bounces the engine makes): the {@code [[match]]} rules first, then for our domains the aliases table, the users
 * and postmaster/abuse, for other domains relaying. The answer is {@link Route.Accept} with the envelopes to queue
 * (local users to deliver to, outside addresses to relay, forwarded ones with an SRS sender), or
 * {@link Route.Reject} with the SMTP reply. A lookup that cannot be made (a broken aliases file, an unreadable
 * passwd) is an {@link IOException}: the caller answers {@code 451 4.3.0}, as for the spool.
 */
public final class Routing {
    private final Config config;
    private final Ruleset ruleset;
    private final Recipients recipients;
    private final AliasFile aliases;
    private final Srs.Key srs;

    /** The rules of {@code config}; {@code srs} is asked for the key only when a forward or a bounce needs it. */
    public Routing(Config config, Recipients recipients, AliasFile aliases, Srs.Key srs) {
        this.config = config;
        this.ruleset = new Ruleset(config);
        this.recipients = recipients;
        this.aliases = aliases;
        this.srs = srs;
    }

    /** See {@link Ruleset#trustsNetworkOf}. */
    public boolean trustsNetworkOf(InetAddress address) {
        return ruleset.trustsNetworkOf(address);
    }

    /** The decision for one recipient. */
    public sealed interface Route permits Route.Accept, Route.Reject {
        /** Queue these (one or more); {@code reason} names the rule, alias or SRS reversal for the log. */
        record Accept(List<Spool.Recipient> recipients, String reason) implements Route {}

        /** Refuse: {@code reply} is the SMTP reply, {@code why} the kind of refusal. */
        record Reject(String reply, String reason, Why why) implements Route {
            /** The address has nobody here (rather than a rule, a loop or a forged SRS address refusing it). */
            public boolean unknown() {
                return why == Why.UNKNOWN;
            }
        }

        /** Why a recipient is refused. */
        enum Why { RULE, UNKNOWN, LOOP, BAD_SRS }
    }

    /**
     * Routes {@code rcpt} (domain in lower case) of a message from {@code sender} (empty for a bounce) arriving from
     * {@code origin}.
     */
    public Route route(Ruleset.Origin origin, String rcpt, String sender) throws IOException {
        Ruleset.Decision d = ruleset.decide(origin, rcpt);
        String domain = Addresses.domainOf(rcpt);
        boolean local = config.isLocalDomain(domain);
        if (d.action() == Config.Action.REJECT) {
            return new Route.Reject(d.rule() == 0 ? "550 5.7.1 <" + rcpt + ">: Relay access denied"
                    : "550 5.7.1 <" + rcpt + ">: Recipient rejected by rule " + d.rule(),
                    "refused by the rules in mailwright.conf (" + d.reason() + ")", Route.Why.RULE);
        }
        if (!local) {
            if (d.action() == Config.Action.RELAY) {
                return new Route.Accept(List.of(new Spool.Recipient(rcpt, "", Envelope.Action.RELAY)), d.reason());
            }
            return new Route.Reject("550 5.7.1 <" + rcpt + ">: Relay access denied", "not a local address and no rule relays it", Route.Why.RULE);
        }
        String localPart = Addresses.localPart(rcpt);
        if (Srs.isSrs(localPart)) return bounceToForwarded(rcpt, localPart);
        return local(rcpt, sender, d.reason());
    }

    /** A bounce of mail we forwarded: back to the original sender, if the address is one we made. */
    private Route bounceToForwarded(String rcpt, String localPart) throws IOException {
        try {
            Optional<String> back = srs.get().reverse(localPart);
            if (back.isPresent()) {
                String to = Addresses.normalize(back.get());
                return new Route.Accept(List.of(new Spool.Recipient(to, "", Envelope.Action.RELAY)), "srs reversed to " + to);
            }
        } catch (Srs.Invalid e) {
            return new Route.Reject("550 5.7.1 <" + rcpt + ">: " + e.getMessage(), e.getMessage(), Route.Why.BAD_SRS);
        }
        return new Route.Reject("550 5.1.1 <" + rcpt + ">: Recipient address rejected: User unknown", "no such user", Route.Why.UNKNOWN);
    }

    private Route local(String rcpt, String sender, String rule) throws IOException {
        Aliases table = aliases.current();
        String lower = rcpt.toLowerCase(Locale.ROOT);
        String localPart = Addresses.localPart(lower);
        String domain = Addresses.domainOf(lower);
        // user+tag@ reaches user@ unless the table names the tagged address itself.
        String user = Addresses.user(lower);
        String address = table.entry(lower).isPresent() || table.entry(localPart).isPresent() ? lower : user + "@" + domain;
        Aliases.Expansion x;
        try {
            x = table.expand(address, this::isUser, config::isLocalDomain);
        } catch (Aliases.Unresolvable e) {
            return new Route.Reject("550 5.4.6 <" + rcpt + ">: " + e.getMessage(), e.getMessage(), Route.Why.LOOP);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<Spool.Recipient> out = new ArrayList<>();
        for (String u : x.users()) out.add(new Spool.Recipient(rcpt, u, Envelope.Action.DELIVER));
        for (String f : x.forwards()) {
            out.add(new Spool.Recipient(Addresses.normalize(f), "", Envelope.Action.RELAY, srs.get().forward(sender, domain)));
        }
        if (out.isEmpty() && (user.equals("postmaster") || user.equals("abuse"))) {
            Optional<String> admin = recipients.admin();
            if (admin.isPresent()) return new Route.Accept(List.of(new Spool.Recipient(rcpt, admin.get(), Envelope.Action.DELIVER)), "admin");
        }
        if (out.isEmpty()) {
            return new Route.Reject("550 5.1.1 <" + rcpt + ">: Recipient address rejected: User unknown", "no such user", Route.Why.UNKNOWN);
        }
        boolean aliased = !(x.users().size() == 1 && x.forwards().isEmpty() && x.users().get(0).equals(user));
        return new Route.Accept(out, aliased ? "alias " + address : rule);
    }

    private boolean isUser(String name) {
        try {
            return recipients.isUser(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
