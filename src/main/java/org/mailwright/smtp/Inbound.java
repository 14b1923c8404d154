package org.mailwright.smtp;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.mailwright.config.Config;
import org.mailwright.dns.DnsClient;
import org.mailwright.dns.Dnsbl;
import org.mailwright.log.Maillog;
import org.mailwright.lookup.AuthThrottle;
import org.mailwright.lookup.Greylist;
import org.mailwright.lookup.Passwd;
import org.mailwright.lookup.Recipients;
import org.mailwright.queue.Scheduler;
import org.mailwright.queue.Spool;
import org.mailwright.ruleset.Routing;
import org.mailwright.tls.ServerTls;

/**
 * What the smtp role uses from the rest of the engine, and the sessions it has open. {@code tls} is null when
 * TLS is off. The configuration, the routing made from its rules and the receive checks on its resolver are one
 * swappable unit: {@code config.reload} replaces them together, and every command reads them afresh, so a changed
 * limit or rule holds from the next command on. {@code dnsbl} and {@code greylist} serve {@code [inbound]}: the
 * blocklist answers on connect, the greylist at RCPT.
 */
public record Inbound(AtomicReference<Current> current, Function<Config, Routing> routingFor, Passwd passwd,
                      Recipients recipients, AuthThrottle throttle, Spool spool, Scheduler scheduler, Maillog log,
                      ServerTls tls, OpenSessions sessions, Dnsbl dnsbl, Greylist greylist) {

    /** A configuration and what is made from it. */
    public record Current(Config config, Routing routing, ReceiveChecks checks) {
        static Current of(Config config, Function<Config, Routing> routingFor) {
            return new Current(config, routingFor.apply(config),
                    new ReceiveChecks(config, DnsClient.cached(config.outbound().resolver())));
        }
    }

    /** With no session open yet. */
    public Inbound(Config config, Function<Config, Routing> routingFor, Passwd passwd, Recipients recipients,
                   AuthThrottle throttle, Spool spool, Scheduler scheduler, Maillog log, ServerTls tls, Greylist greylist) {
        this(new AtomicReference<>(Current.of(config, routingFor)), routingFor, passwd, recipients, throttle, spool,
                scheduler, log, tls, new OpenSessions(), new Dnsbl(Clock.systemUTC()), greylist);
    }

    public Config config() {
        return current.get().config();
    }

    public Routing routing() {
        return current.get().routing();
    }

    ReceiveChecks checks() {
        return current.get().checks();
    }

    /** From the next command on, sessions old and new work by {@code next}. */
    public void apply(Config next) {
        current.set(Current.of(next, routingFor));
    }
}
