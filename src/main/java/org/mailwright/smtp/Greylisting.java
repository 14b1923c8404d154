package org.mailwright.smtp;

import java.io.IOException;
import java.time.Duration;
import org.mailwright.config.Config;
import org.mailwright.mail.Addresses;
import org.subethamail.smtp.server.Session;

/**
 * {@code [inbound] greylisting} at RCPT: mail from another server (not on a submission listener, not
 * authenticated) for one of our users waits {@code greylist_delay} the first time its (network, sender,
 * recipient) is seen. A real MTA retries; much bulk software does not. Mail relayed for a client a rule trusts,
 * authenticated mail and local submission are never greylisted. State: {@link org.mailwright.lookup.Greylist}.
 */
final class Greylisting {
    private Greylisting() {}

    /**
     * For recipient {@code to} of a message from {@code from}, which routing accepted: answers {@code 451 4.7.1} when
     * it is greylisted (the caller then leaves it out of the transaction); returns whether it did.
     */
    static boolean deferred(Inbound in, Config.Listener listener, Session s, String from, String to) throws IOException {
        Config.Inbound c = in.config().inbound();
        if (!c.greylisting() || listener.isSubmission() || s.isAuthenticated() || !in.config().isLocalDomain(Addresses.domainOf(to))) {
            return false;
        }
        Duration wait = in.greylist().check(s.getRemoteAddress().getAddress(), from, to, c.greylistDelay());
        if (wait.isZero()) return false;
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        in.log().event(s.getSessionId(), "smtp", "greylisted", "address", s.getRemoteAddress().getAddress().getHostAddress(),
                "from", "<" + from + ">", "to", "<" + to + ">", "retry_in", seconds + "s");
        s.sendResponse("451 4.7.1 Greylisted, try again in " + seconds + " seconds");
        return true;
    }
}
