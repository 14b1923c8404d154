package org.mailwright.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The whole configuration of one Mailwright engine, as read from {@code DATA/mailwright.conf}.
 * Immutable; {@link ConfigLoader} reads it, {@link ConfigWriter} writes it back.
 */
public record Config(
        String hostname,
        List<String> domains,
        String ip,
        String ipv6,
        String admin,
        Tls tls,
        List<Listener> listeners,
        Delivery delivery,
        Limits limits,
        Submission submission,
        Queue queue,
        Outbound outbound,
        List<MatchRule> matches,
        Dns dns) {

    public Config {
        domains = List.copyOf(domains);
        listeners = List.copyOf(listeners);
        matches = List.copyOf(matches);
    }

    /**
     * A new configuration with the default {@code [dns]} section. Code that changes an existing configuration
     * passes its {@code dns()} on (the full constructor), or a customised {@code [dns]} section would be lost.
     */
    public Config(String hostname, List<String> domains, String ip, String ipv6, String admin, Tls tls,
                  List<Listener> listeners, Delivery delivery, Limits limits, Submission submission, Queue queue,
                  Outbound outbound, List<MatchRule> matches) {
        this(hostname, domains, ip, ipv6, admin, tls, listeners, delivery, limits, submission, queue, outbound, matches,
                Defaults.dns());
    }

    public Config withDns(Dns d) {
        return new Config(hostname, domains, ip, ipv6, admin, tls, listeners, delivery, limits, submission, queue,
                outbound, matches, d);
    }

    /** True when {@code domain} is one of ours (the hostname counts too, as in OpenSMTPD's "for local"). */
    public boolean isLocalDomain(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return d.equals(hostname.toLowerCase(Locale.ROOT))
                || domains.stream().anyMatch(x -> x.equalsIgnoreCase(d));
    }

    /** The domain used when an address has none (sendmail's "bob"). */
    public String primaryDomain() {
        return domains.isEmpty() ? hostname : domains.get(0);
    }

    public enum TlsMode { SELF_SIGNED, ACME, FILES, NONE;
        public String word() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }
    }

    /**
     * Where the certificate comes from and where its files are (relative paths are inside the data directory).
     * {@code extraNames}: more names the certificate covers besides the hostname (e.g. {@code mta-sts.example.org});
     * {@code acmeTrust}: a PEM file of CA certificates to trust for the ACME server itself (test CAs), empty for none.
     */
    public record Tls(TlsMode mode, String cert, String key, String acmeDirectory, String acmeEmail, int acmeHttpPort,
                      List<String> extraNames, String acmeTrust) {
        public Tls {
            extraNames = List.copyOf(extraNames);
        }

        public Tls(TlsMode mode, String cert, String key, String acmeDirectory, String acmeEmail, int acmeHttpPort) {
            this(mode, cert, key, acmeDirectory, acmeEmail, acmeHttpPort, List.of(), "");
        }

        public Path certPath(Path data) { return data.resolve(cert); }
        public Path keyPath(Path data) { return data.resolve(key); }
        public Optional<Path> acmeTrustPath(Path data) {
            return acmeTrust.isBlank() ? Optional.empty() : Optional.of(data.resolve(acmeTrust));
        }
    }

    public enum ListenerTls { STARTTLS, REQUIRE, IMPLICIT, NONE;
        public String word() { return name().toLowerCase(Locale.ROOT); }
    }

    public enum ListenerAuth { NONE, OPTIONAL, REQUIRE;
        public String word() { return name().toLowerCase(Locale.ROOT); }
    }

    /** One {@code [[listen]]} block: like OpenSMTPD's {@code listen on ADDR port P tls|tls-require|smtps auth}. */
    public record Listener(String address, int port, ListenerTls tls, ListenerAuth auth) {
        /** Submission listeners (AUTH required) add Message-ID and Date when missing (RFC 6409 §8). */
        public boolean isSubmission() { return auth == ListenerAuth.REQUIRE; }
        public boolean usesTls() { return tls != ListenerTls.NONE; }
    }

    public enum DeliveryFormat { MAILDIR, MBOX;
        public String word() { return name().toLowerCase(Locale.ROOT); }
    }

    public record Delivery(DeliveryFormat format, long maxMessageSize) {}

    /**
     * Protections against abusive clients, per session and per client address. {@code maxRecipients} per
     * transaction (Postfix's smtpd_recipient_limit); after {@code softErrorLimit} failed commands in a session each
     * further error is answered slowly, after {@code hardErrorLimit} the session is closed (Postfix's
     * smtpd_soft_error_limit / smtpd_hard_error_limit); a session older than {@code sessionTimeout} is closed
     * (zero: never); {@code minDataRate} in bytes per second during DATA (Postfix's smtpd_min_data_rate).
     */
    public record Limits(int maxConnections, int maxConnectionsPerIp, Duration idleTimeout,
                         int authFailuresBeforeDelay, int authFailuresBeforeLockout, Duration authLockout,
                         int maxRecipients, int softErrorLimit, int hardErrorLimit, Duration sessionTimeout,
                         long minDataRate) {

        /** The connection and AUTH limits; the per-session ones at their defaults. */
        public Limits(int maxConnections, int maxConnectionsPerIp, Duration idleTimeout,
                      int authFailuresBeforeDelay, int authFailuresBeforeLockout, Duration authLockout) {
            this(maxConnections, maxConnectionsPerIp, idleTimeout, authFailuresBeforeDelay, authFailuresBeforeLockout,
                    authLockout, Defaults.MAX_RECIPIENTS, Defaults.SOFT_ERROR_LIMIT, Defaults.HARD_ERROR_LIMIT,
                    Defaults.SESSION_TIMEOUT, Defaults.MIN_DATA_RATE);
        }

        public Limits withMaxRecipients(int n) {
            return new Limits(maxConnections, maxConnectionsPerIp, idleTimeout, authFailuresBeforeDelay,
                    authFailuresBeforeLockout, authLockout, n, softErrorLimit, hardErrorLimit, sessionTimeout, minDataRate);
        }

        public Limits withErrorLimits(int soft, int hard) {
            return new Limits(maxConnections, maxConnectionsPerIp, idleTimeout, authFailuresBeforeDelay,
                    authFailuresBeforeLockout, authLockout, maxRecipients, soft, hard, sessionTimeout, minDataRate);
        }

        public Limits withSessionTimeout(Duration d) {
            return new Limits(maxConnections, maxConnectionsPerIp, idleTimeout, authFailuresBeforeDelay,
                    authFailuresBeforeLockout, authLockout, maxRecipients, softErrorLimit, hardErrorLimit, d, minDataRate);
        }
    }

    /** Who may use which sender address after AUTH. */
    public record Submission(boolean senderCheck, List<String> sendAsAnyone) {
        public Submission { sendAsAnyone = List.copyOf(sendAsAnyone); }
    }

    /** The scheduler: how often to retry a temporary failure, and when to give up. */
    public record Queue(List<Duration> retrySchedule, Duration expire) {
        public Queue { retrySchedule = List.copyOf(retrySchedule); }
    }

    public enum OutboundTls { OPPORTUNISTIC, REQUIRE, NONE;
        public String word() { return name().toLowerCase(Locale.ROOT); }
    }

    /** Mail leaving for other domains. Empty resolver: the system's; empty smarthost: MX delivery. */
    public record Outbound(String resolver, int port, OutboundTls tls, String smarthost,
                           String smarthostUser, String smarthostPasswordFile) {
        public Optional<String> resolverOpt() { return resolver.isBlank() ? Optional.empty() : Optional.of(resolver); }
        public Optional<String> smarthostOpt() { return smarthost.isBlank() ? Optional.empty() : Optional.of(smarthost); }
    }

    public enum Action { DELIVER, RELAY, REJECT;
        public String word() { return name().toLowerCase(Locale.ROOT); }
    }

    /** One {@code [[match]]} rule: {@code from} any|local|auth|src:CIDR, {@code for} any|local|domain:D|rcpt:ADDR. */
    public record MatchRule(String from, String forWhat, Action action) {}

    /** How the SPF record ends (RFC 7208 §5.1): {@code -all} fails other senders, {@code ~all} only marks them. */
    public enum SpfAll { FAIL("-all"), SOFTFAIL("~all");
        private final String word;
        SpfAll(String word) { this.word = word; }
        public String word() { return word; }
    }

    /**
     * The {@code [dns]} section: what the generated records say and what the self-test probes.
     * Empty report addresses mean {@code postmaster@} of each domain; empty {@code outboundProbe} means the default.
     */
    public record Dns(SpfAll spfAll, String dmarcReport, String tlsReport, List<String> blocklists, String outboundProbe) {
        public Dns { blocklists = List.copyOf(blocklists); }
    }
}
