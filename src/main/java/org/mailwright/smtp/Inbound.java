package org.mailwright.smtp;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.mailwright.config.Config;
import org.mailwright.dns.Dnsbl;
import org.mailwright.log.Maillog;
import org.mailwright.lookup.AuthThrottle;
import org.mailwright.lookup.Greylist;
import org.mailwright.lookup.Passwd;
import org.mailwright.lookup.Recipients;
import org.mailwright.queue.Scheduler;
import org.mailwright.queue.Spool;
import org.mailwright.ruleset.Ruleset;
import org.mailwright.tls.ServerTls;

/**
 * What the smtp role uses from the rest of the engine, and the sessions it has open. {@code tls} is null when
 * TLS is off. The configuration and its ruleset are one swappable unit: {@code config.reload} replaces them
 * together, and every command reads them afresh, so a changed limit or rule holds from the next command on.
 * {@code dnsbl} and {@code greylist} serve {@code [inbound]}: the blocklist answers on connect, the greylist at RCPT.
 */
public record Inbound(AtomicReference<Current> current, Passwd passwd, Recipients recipients, AuthThrottle throttle,
                      Spool spool, Scheduler scheduler, Maillog log, ServerTls tls, OpenSessions sessions,
                      Dnsbl dnsbl, Greylist greylist) {

    /** A configuration and the rules compiled from it. */
    public record Current(Config config, Ruleset ruleset) {}

    /** With no session open yet. */
    public Inbound(Config config, Passwd passwd, Recipients recipients, Ruleset ruleset, AuthThrottle throttle,
                   Spool spool, Scheduler scheduler, Maillog log, ServerTls tls, Greylist greylist) {
        this(new AtomicReference<>(new Current(config, ruleset)), passwd, recipients, throttle, spool, scheduler, log, tls,
                new OpenSessions(), new Dnsbl(Clock.systemUTC()), greylist);
    }

    public Config config() {
        return current.get().config();
    }

    public Ruleset ruleset() {
        return current.get().ruleset();
    }

    /** From the next command on, sessions old and new work by {@code next}. */
    public void apply(Config next) {
        current.set(new Current(next, new Ruleset(next)));
    }
}
