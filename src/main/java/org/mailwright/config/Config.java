package org.mailwright.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
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
        Dns dns,
        Inbound inbound) {

    public Config {
        domains = List.copyOf(domains);
        listeners = List.copyOf(listeners);
        matches = List.copyOf(matches);
    }

    // Every change goes through a with-method that copies all other fields, so code that changes one section
    // (the wizard, `config set`, the GUI's settings) cannot drop another. Only this package (ConfigLoader,
    // Defaults) calls the canonical constructors; ArchitectureTest holds that.

    public Config withHostname(String h) {
        return new Config(h, domains, ip, ipv6, admin, tls, listeners, delivery, limits, submission, queue, outbound, matches, dns, inbound);
    }

    public Config withDomains(List<String> d) {
        return new Config(hostname, d, ip, ipv6, admin, tls, listeners, delivery, limits, submission, queue, outbound, matches, dns, inbound);
    }

    public Config withIp(String a) {
        return new Config(hostname, domains, a, ipv6, admin, tls, listeners, delivery, limits, submission, queue, outbound, matches, dns, inbound);
    }

    public Config withIpv6(String a) {
        return new Config(hostname, domains, ip, a, admin, tls, listeners, delivery, limits, submission, queue, outbound, matches, dns, inbound);
    }

    public Config withAdmin(String a) {
        return new Config(hostname, domains, ip, ipv6, a, tls, listeners, delivery, limits, submission, queue, outbound, matches, dns, inbound);
    }

    public Config withTls(Tls t) {
        return new Config(hostname, domains, ip, ipv6, admin, t, listeners, delivery, limits, submission, queue, outbound, matches, dns, inbound);
    }

    public Config withListeners(List<Listener> l) {
        return new Config(hostname, domains, ip, ipv6, admin, tls, l, delivery, limits, submission, queue, outbound, matches, dns, inbound);
    }

    public Config withDelivery(Delivery d) {
        return new Config(hostname, domains, ip, ipv6, admin, tls, listeners, d, limits, submission, queue, outbound, matches, dns, inbound);
    }

    public Config withLimits(Limits l) {
        return new Config(hostname, domains, ip, ipv6, admin, tls, listeners, delivery, l, submission, queue, outbound, matches, dns, inbound);
    }

    public Config withSubmission(Submission s) {
        return new Config(hostname, domains, ip, ipv6, admin, tls, listeners, delivery, limits, s, queue, outbound, matches, dns, inbound);
    }

    public Config withQueue(Queue q) {
        return new Config(hostname, domains, ip, ipv6, admin, tls, listeners, delivery, limits, submission, q, outbound, matches, dns, inbound);
    }

    public Config withOutbound(Outbound o) {
        return new Config(hostname, domains, ip, ipv6, admin, tls, listeners, delivery, limits, submission, queue, o, matches, dns, inbound);
    }

    public Config withMatches(List<MatchRule> m) {
        return new Config(hostname, domains, ip, ipv6, admin, tls, listeners, delivery, limits, submission, queue, outbound, m, dns, inbound);
    }

    public Config withDns(Dns d) {
        return new Config(hostname, domains, ip, ipv6, admin, tls, listeners, delivery, limits, submission, queue, outbound, matches, d, inbound);
    }

    public Config withInbound(Inbound i) {
        return new Config(hostname, domains, ip, ipv6, admin, tls, listeners, delivery, limits, submission, queue, outbound, matches, dns, i);
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

        public Tls withMode(TlsMode m) {
            return new Tls(m, cert, key, acmeDirectory, acmeEmail, acmeHttpPort, extraNames, acmeTrust);
        }

        /** The certificate and key files (relative paths are inside the data directory). */
        public Tls withFiles(String c, String k) {
            return new Tls(mode, c, k, acmeDirectory, acmeEmail, acmeHttpPort, extraNames, acmeTrust);
        }

        public Tls withAcmeDirectory(String d) {
            return new Tls(mode, cert, key, d, acmeEmail, acmeHttpPort, extraNames, acmeTrust);
        }

        public Tls withAcmeEmail(String e) {
            return new Tls(mode, cert, key, acmeDirectory, e, acmeHttpPort, extraNames, acmeTrust);
        }

        public Tls withAcmeHttpPort(int p) {
            return new Tls(mode, cert, key, acmeDirectory, acmeEmail, p, extraNames, acmeTrust);
        }

        public Tls withExtraNames(List<String> n) {
            return new Tls(mode, cert, key, acmeDirectory, acmeEmail, acmeHttpPort, n, acmeTrust);
        }

        public Tls withAcmeTrust(String t) {
            return new Tls(mode, cert, key, acmeDirectory, acmeEmail, acmeHttpPort, extraNames, t);
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
        public Listener withAddress(String a) { return new Listener(a, port, tls, auth); }
        public Listener withPort(int p) { return new Listener(address, p, tls, auth); }
        public Listener withTls(ListenerTls t) { return new Listener(address, port, t, auth); }
        public Listener withAuth(ListenerAuth a) { return new Listener(address, port, tls, a); }
        /** Submission listeners (AUTH required) add Message-ID and Date when missing (RFC 6409 §8). */
        public boolean isSubmission() { return auth == ListenerAuth.REQUIRE; }
        public boolean usesTls() { return tls != ListenerTls.NONE; }
    }

    public enum DeliveryFormat { MAILDIR, MBOX;
        public String word() { return name().toLowerCase(Locale.ROOT); }
    }

    public record Delivery(DeliveryFormat format, long maxMessageSize) {
        public Delivery withFormat(DeliveryFormat f) { return new Delivery(f, maxMessageSize); }
        public Delivery withMaxMessageSize(long n) { return new Delivery(format, n); }
    }

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

        public Limits withMaxConnections(int v) {
            return new Limits(v, maxConnectionsPerIp, idleTimeout, authFailuresBeforeDelay, authFailuresBeforeLockout, authLockout, maxRecipients, softErrorLimit, hardErrorLimit, sessionTimeout, minDataRate);
        }

        public Limits withMaxConnectionsPerIp(int v) {
            return new Limits(maxConnections, v, idleTimeout, authFailuresBeforeDelay, authFailuresBeforeLockout, authLockout, maxRecipients, softErrorLimit, hardErrorLimit, sessionTimeout, minDataRate);
        }

        public Limits withIdleTimeout(Duration v) {
            return new Limits(maxConnections, maxConnectionsPerIp, v, authFailuresBeforeDelay, authFailuresBeforeLockout, authLockout, maxRecipients, softErrorLimit, hardErrorLimit, sessionTimeout, minDataRate);
        }

        public Limits withAuthFailuresBeforeDelay(int v) {
            return new Limits(maxConnections, maxConnectionsPerIp, idleTimeout, v, authFailuresBeforeLockout, authLockout, maxRecipients, softErrorLimit, hardErrorLimit, sessionTimeout, minDataRate);
        }

        public Limits withAuthFailuresBeforeLockout(int v) {
            return new Limits(maxConnections, maxConnectionsPerIp, idleTimeout, authFailuresBeforeDelay, v, authLockout, maxRecipients, softErrorLimit, hardErrorLimit, sessionTimeout, minDataRate);
        }

        public Limits withAuthLockout(Duration v) {
            return new Limits(maxConnections, maxConnectionsPerIp, idleTimeout, authFailuresBeforeDelay, authFailuresBeforeLockout, v, maxRecipients, softErrorLimit, hardErrorLimit, sessionTimeout, minDataRate);
        }

        public Limits withMaxRecipients(int v) {
            return new Limits(maxConnections, maxConnectionsPerIp, idleTimeout, authFailuresBeforeDelay, authFailuresBeforeLockout, authLockout, v, softErrorLimit, hardErrorLimit, sessionTimeout, minDataRate);
        }

        public Limits withSoftErrorLimit(int v) {
            return new Limits(maxConnections, maxConnectionsPerIp, idleTimeout, authFailuresBeforeDelay, authFailuresBeforeLockout, authLockout, maxRecipients, v, hardErrorLimit, sessionTimeout, minDataRate);
        }

        public Limits withHardErrorLimit(int v) {
            return new Limits(maxConnections, maxConnectionsPerIp, idleTimeout, authFailuresBeforeDelay, authFailuresBeforeLockout, authLockout, maxRecipients, softErrorLimit, v, sessionTimeout, minDataRate);
        }

        public Limits withSessionTimeout(Duration v) {
            return new Limits(maxConnections, maxConnectionsPerIp, idleTimeout, authFailuresBeforeDelay, authFailuresBeforeLockout, authLockout, maxRecipients, softErrorLimit, hardErrorLimit, v, minDataRate);
        }

        public Limits withMinDataRate(long v) {
            return new Limits(maxConnections, maxConnectionsPerIp, idleTimeout, authFailuresBeforeDelay, authFailuresBeforeLockout, authLockout, maxRecipients, softErrorLimit, hardErrorLimit, sessionTimeout, v);
        }

        public Limits withErrorLimits(int soft, int hard) {
            return withSoftErrorLimit(soft).withHardErrorLimit(hard);
        }
    }

    /** Who may use which sender address after AUTH. */
    public record Submission(boolean senderCheck, List<String> sendAsAnyone) {
        public Submission { sendAsAnyone = List.copyOf(sendAsAnyone); }
        public Submission withSenderCheck(boolean b) { return new Submission(b, sendAsAnyone); }
        public Submission withSendAsAnyone(List<String> users) { return new Submission(senderCheck, users); }
    }

    /** The scheduler: how often to retry a temporary failure, and when to give up. */
    public record Queue(List<Duration> retrySchedule, Duration expire) {
        public Queue { retrySchedule = List.copyOf(retrySchedule); }
        public Queue withRetrySchedule(List<Duration> r) { return new Queue(r, expire); }
        public Queue withExpire(Duration e) { return new Queue(retrySchedule, e); }
    }

    public enum OutboundTls { OPPORTUNISTIC, REQUIRE, NONE;
        public String word() { return name().toLowerCase(Locale.ROOT); }
    }

    /** Mail leaving for other domains. Empty resolver: the system's; empty smarthost: MX delivery. */
    public record Outbound(String resolver, int port, OutboundTls tls, String smarthost,
                           String smarthostUser, String smarthostPasswordFile) {
        public Optional<String> resolverOpt() { return resolver.isBlank() ? Optional.empty() : Optional.of(resolver); }
        public Optional<String> smarthostOpt() { return smarthost.isBlank() ? Optional.empty() : Optional.of(smarthost); }
        public Outbound withResolver(String r) { return new Outbound(r, port, tls, smarthost, smarthostUser, smarthostPasswordFile); }
        public Outbound withPort(int p) { return new Outbound(resolver, p, tls, smarthost, smarthostUser, smarthostPasswordFile); }
        public Outbound withTls(OutboundTls t) { return new Outbound(resolver, port, t, smarthost, smarthostUser, smarthostPasswordFile); }
        public Outbound withSmarthost(String h) { return new Outbound(resolver, port, tls, h, smarthostUser, smarthostPasswordFile); }
        public Outbound withSmarthostUser(String u) { return new Outbound(resolver, port, tls, smarthost, u, smarthostPasswordFile); }
        public Outbound withSmarthostPasswordFile(String f) { return new Outbound(resolver, port, tls, smarthost, smarthostUser, f); }
    }

    public enum Action { DELIVER, RELAY, REJECT;
        public String word() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * One {@code [[match]]} rule: {@code from} any|local|auth|src:CIDR, {@code for} any|local|domain:D|rcpt:ADDR.
     * Parsed once when the file is read, so a bad network is a {@code file:line} error, not a surprise per RCPT.
     */
    public record MatchRule(From from, For forWhat, Action action) {
        /** A rule from its words as in the file; {@link IllegalArgumentException} says what is wrong. */
        public static MatchRule of(String from, String forWhat, Action action) {
            return new MatchRule(From.parse(from), For.parse(forWhat), action);
        }
    }

    /** Where a message must come from for a rule to match (smtpd.conf's {@code from any|local|auth|src}). */
    public sealed interface From {
        /** The word as written in mailwright.conf, e.g. {@code src:192.0.2.0/24}. */
        String word();

        record Any() implements From { public String word() { return "any"; } }
        record Local() implements From { public String word() { return "local"; } }
        record Auth() implements From { public String word() { return "auth"; } }

        /** A client network; {@code cidr} is kept as written so the file is written back unchanged. */
        record Src(String cidr, InetAddress network, int bits) implements From {
            public String word() { return "src:" + cidr; }

            public boolean contains(InetAddress address) {
                if (address == null) return false;
                byte[] a = address.getAddress();
                byte[] net = network.getAddress();
                if (a.length != net.length) return false;
                int left = bits;
                for (int i = 0; i < a.length && left > 0; i++, left -= 8) {
                    int mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
                    if ((a[i] & mask) != (net[i] & mask)) return false;
                }
                return true;
            }
        }

        static From parse(String word) {
            switch (word) {
                case "any": return new Any();
                case "local": return new Local();
                case "auth": return new Auth();
                default: break;
            }
            if (!word.startsWith("src:")) {
                throw new IllegalArgumentException("match from \"" + word + "\" is not known — use any, local, auth or src:CIDR (like src:192.0.2.0/24)");
            }
            String cidr = word.substring(4);
            String[] parts = cidr.split("/", 2);
            if (!ConfigLoader.isCidr(cidr)) {
                throw new IllegalArgumentException("match from \"" + word + "\" has no valid network — write it like src:192.0.2.0/24");
            }
            InetAddress network;
            try {
                network = InetAddress.getByName(parts[0]); // a literal address: no DNS lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("match from \"" + word + "\" has no valid network — write it like src:192.0.2.0/24");
            }
            return new Src(cidr, network, parts.length == 2 ? Integer.parseInt(parts[1]) : network.getAddress().length * 8);
        }
    }

    /** Which recipients a rule is for (smtpd.conf's {@code for any|local|domain|rcpt-to}). */
    public sealed interface For {
        String word();

        record Any() implements For { public String word() { return "any"; } }
        /** Our domains and the hostname, read from the configuration the rule belongs to. */
        record Local() implements For { public String word() { return "local"; } }
        record Domain(String domain) implements For { public String word() { return "domain:" + domain; } }
        record Rcpt(String address) implements For { public String word() { return "rcpt:" + address; } }

        static For parse(String word) {
            if (word.equals("any")) return new Any();
            if (word.equals("local")) return new Local();
            if (word.matches("domain:[^\\s]+")) return new Domain(word.substring(7));
            if (word.matches("rcpt:[^\\s]+@[^\\s]+")) return new Rcpt(word.substring(5));
            throw new IllegalArgumentException("match for \"" + word + "\" is not known — use any, local, domain:example.org or rcpt:user@example.org");
        }
    }

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
        public Dns withSpfAll(SpfAll a) { return new Dns(a, dmarcReport, tlsReport, blocklists, outboundProbe); }
        public Dns withDmarcReport(String r) { return new Dns(spfAll, r, tlsReport, blocklists, outboundProbe); }
        public Dns withTlsReport(String r) { return new Dns(spfAll, dmarcReport, r, blocklists, outboundProbe); }
        public Dns withBlocklists(List<String> b) { return new Dns(spfAll, dmarcReport, tlsReport, b, outboundProbe); }
        public Dns withOutboundProbe(String p) { return new Dns(spfAll, dmarcReport, tlsReport, blocklists, p); }
    }

    /** What {@code [inbound] dmarc} does with a failing message: apply the sender's policy, only log it, or skip DMARC. */
    public enum DmarcMode { ENFORCE, REPORT_ONLY, OFF;
        public String word() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }
    }

    /**
     * The {@code [inbound]} section: checks on mail from other servers (port 25, not authenticated).
     * {@code dnsbl}: DNS blocklist zones asked on connect (empty: none); {@code greylisting}: answer the first
     * attempt of an unknown (network, sender, recipient) with 451 and accept a retry after {@code greylistDelay}.
     */
    public record Inbound(DmarcMode dmarc, List<String> dnsbl, boolean greylisting, Duration greylistDelay) {
        public Inbound { dnsbl = List.copyOf(dnsbl); }
        public Inbound withDmarc(DmarcMode m) { return new Inbound(m, dnsbl, greylisting, greylistDelay); }
        public Inbound withDnsbl(List<String> z) { return new Inbound(dmarc, z, greylisting, greylistDelay); }
        public Inbound withGreylisting(boolean g) { return new Inbound(dmarc, dnsbl, g, greylistDelay); }
        public Inbound withGreylistDelay(Duration d) { return new Inbound(dmarc, dnsbl, greylisting, d); }
    }
}
