package org.mailwright.smtp;

import java.io.IOException;
import java.time.Duration;
import org.mailwright.config.Config;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.Spool;
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
     * For the recipient RCPT just accepted (the last of {@code t}): answers {@code 451 4.7.1} and takes it back out
     * of the transaction when it is greylisted; returns whether it did.
     */
    static boolean deferred(Inbound in, Config.Listener listener, Session s, Transaction t) throws IOException {
        Config.Inbound c = in.config().inbound();
        Spool.Recipient r = t.recipients.get(t.recipients.size() - 1);
        if (!c.greylisting() || listener.isSubmission() || s.isAuthenticated() || r.action() != Envelope.Action.DELIVER) {
            return false;
        }
        Duration wait = in.greylist().check(s.getRemoteAddress().getAddress(), t.from, r.to(), c.greylistDelay());
        if (wait.isZero()) return false;
        t.recipients.remove(t.recipients.size() - 1);
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        in.log().event(s.getSessionId(), "smtp", "greylisted", "address", s.getRemoteAddress().getAddress().getHostAddress(),
                "from", "<" + t.from + ">", "to", "<" + r.to() + ">", "retry_in", seconds + "s");
        s.sendResponse("451 4.7.1 Greylisted, try again in " + seconds + " seconds");
        return true;
    }
}
