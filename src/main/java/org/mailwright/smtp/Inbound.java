package org.mailwright.smtp;

import org.mailwright.config.Config;
import org.mailwright.log.Maillog;
import org.mailwright.lookup.AuthThrottle;
import org.mailwright.lookup.Passwd;
import org.mailwright.lookup.Recipients;
import org.mailwright.queue.Scheduler;
import org.mailwright.queue.Spool;
import org.mailwright.ruleset.Ruleset;
import org.mailwright.tls.ServerTls;

/**
 * What the smtp role uses from the rest of the engine, and the sessions it has open. {@code tls} is null when
 * TLS is off.
 */
public record Inbound(Config config, Passwd passwd, Recipients recipients, Ruleset ruleset, AuthThrottle throttle,
                      Spool spool, Scheduler scheduler, Maillog log, ServerTls tls, OpenSessions sessions) {

    /** With no session open yet. */
    public Inbound(Config config, Passwd passwd, Recipients recipients, Ruleset ruleset, AuthThrottle throttle,
                   Spool spool, Scheduler scheduler, Maillog log, ServerTls tls) {
        this(config, passwd, recipients, ruleset, throttle, spool, scheduler, log, tls, new OpenSessions());
    }
}
