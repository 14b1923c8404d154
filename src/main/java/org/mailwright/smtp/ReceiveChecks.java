package org.mailwright.smtp;

import jakarta.mail.internet.AddressException;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.mailwright.config.Config;
import org.mailwright.dkim.DkimVerifier;
import org.mailwright.dns.Dmarc;
import org.mailwright.dns.DnsClient;
import org.mailwright.dns.Spf;
import org.mailwright.mail.Addresses;

/**
 * The checks a message from another server gets once its data is in (RFC 7208 SPF, RFC 6376 DKIM, RFC 7489 DMARC),
 * and what follows from them: deliver, deliver to Junk (DMARC quarantine), refuse (DMARC reject, a forged sender in
 * one of our domains), or ask to try again (our own DNS could not say). Authenticated submission and mail from the
 * machine itself are not checked this way.
 */
final class ReceiveChecks {
    /** What to do with the message. */
    enum Action { DELIVER, JUNK, REJECT, DEFER }

    /** The verdicts, the action, and for REJECT/DEFER the SMTP reply; {@code reason} explains it for the log. */
    record Outcome(Action action, String reply, AuthenticationResults.Checks checks, String reason) {}

    private final Config config;
    private final DnsClient dns;
    private final DkimVerifier dkim;

    ReceiveChecks(Config config, DnsClient dns) {
        this.config = config;
        this.dns = dns;
        this.dkim = new DkimVerifier(name -> {
            try {
                return dns.txt(name);
            } catch (DnsClient.LookupFailed e) {
                throw new DkimVerifier.TemporaryFailure(e.getMessage());
            }
        });
    }

    /**
     * Checks a message from {@code ip} that said {@code helo}, with envelope sender {@code mailFrom} (empty for a
     * bounce), header {@code From:} values {@code fromFields} ({@code fromTooLong}: one was too long to keep), and
     * {@code message} as the client sent it — null when it is too large to verify its DKIM signatures (then DMARC
     * can only report, not act, on a failure).
     */
    Outcome check(InetAddress ip, String helo, String mailFrom, List<String> fromFields, boolean fromTooLong, byte[] message) {
        Spf.Verdict spf = Spf.checkMailFrom(dns, ip, mailFrom, helo);
        String mailFromDomain = mailFrom.isEmpty() ? "" : Addresses.domainOf(mailFrom);
        Spf.Result helo1 = mailFrom.isEmpty() ? spf.result() : Spf.checkHelo(dns, ip, helo).result();
        String spfDomain = mailFrom.isEmpty() ? helo : mailFromDomain;
        List<DkimVerifier.Verdict> signatures = message == null
                ? List.of(new DkimVerifier.Verdict(DkimVerifier.Result.POLICY, "", "", "not verified: the message is too large"))
                : dkim.verify(message);

        Set<String> fromDomains = new LinkedHashSet<>();
        boolean unreadableFrom = fromTooLong;
        for (String value : fromFields) {
            try {
                for (String a : HeaderFrom.addresses(value)) fromDomains.add(Addresses.domainOf(a));
            } catch (AddressException e) {
                unreadableFrom = true;
            }
        }
        Config.DmarcMode mode = config.inbound().dmarc();
        Dmarc.Verdict dmarc = null;
        if (mode != Config.DmarcMode.OFF && fromDomains.size() == 1 && !fromDomains.iterator().next().isEmpty()) {
            dmarc = Dmarc.evaluate(dns::txt, fromDomains.iterator().next(), spf.result(), spfDomain, signatures,
                    () -> ThreadLocalRandom.current().nextInt(100));
        }
        AuthenticationResults.Checks checks = new AuthenticationResults.Checks(spf.result(), mailFromDomain, helo1, helo,
                signatures, dmarc);
        if (mode == Config.DmarcMode.OFF) return new Outcome(Action.DELIVER, null, checks, "dmarc off");
        boolean enforce = mode == Config.DmarcMode.ENFORCE;

        // Our own domains: whatever we publish, mail "from" us that did not come from us is refused (p=reject).
        boolean claimsUs = (!mailFromDomain.isEmpty() && config.isLocalDomain(mailFromDomain))
                || fromDomains.stream().anyMatch(config::isLocalDomain);
        if (claimsUs) {
            boolean spfOurs = !mailFromDomain.isEmpty() && config.isLocalDomain(mailFromDomain) && spf.result() == Spf.Result.PASS;
            boolean dkimOurs = signatures.stream().anyMatch(v -> v.passed() && config.isLocalDomain(v.domain()));
            boolean dnsDown = spf.result() == Spf.Result.TEMPERROR
                    || signatures.stream().anyMatch(v -> v.result() == DkimVerifier.Result.TEMPERROR);
            if (!spfOurs && !dkimOurs) {
                String who = fromDomains.stream().filter(config::isLocalDomain).findFirst().orElse(mailFromDomain);
                if (dnsDown && enforce) {
                    return new Outcome(Action.DEFER, "451 4.7.1 Cannot check the sender in our domain " + who
                            + " now (DNS: " + spf.reason() + "); try again later", checks, "own domain, dns unavailable");
                }
                String why = "sender in our domain " + who + " but " + ip.getHostAddress() + " is not allowed to send for it (SPF "
                        + AuthenticationResults.word(spf.result()) + ", no valid DKIM signature of ours)";
                if (enforce) return new Outcome(Action.REJECT, "550 5.7.1 Message refused: " + why, checks, why);
                return new Outcome(Action.DELIVER, null, checks, "report-only: " + why);
            }
        }
        if (fromDomains.size() > 1 || unreadableFrom) {
            String why = fromDomains.size() > 1 ? "the From: header names more than one domain (" + String.join(", ", fromDomains) + ")"
                    : "the From: header cannot be read";
            if (enforce) return new Outcome(Action.REJECT, "550 5.7.1 Message refused: " + why + "; DMARC cannot judge it", checks, why);
            return new Outcome(Action.DELIVER, null, checks, "report-only: " + why);
        }
        if (dmarc == null || dmarc.deliver()) return new Outcome(Action.DELIVER, null, checks, dmarc == null ? "no From domain" : dmarc.reason());
        if (!enforce) return new Outcome(Action.DELIVER, null, checks, "report-only: " + dmarc.reason());
        if (message == null) return new Outcome(Action.DELIVER, null, checks, "too large to verify DKIM: " + dmarc.reason());
        if (dmarc.apply() == Dmarc.Policy.REJECT) {
            return new Outcome(Action.REJECT, "550 5.7.1 Message refused by the DMARC policy of " + dmarc.fromDomain()
                    + " (p=reject): " + dmarc.reason(), checks, dmarc.reason());
        }
        return new Outcome(Action.JUNK, null, checks, dmarc.reason());
    }
}
