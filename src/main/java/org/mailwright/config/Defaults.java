package org.mailwright.config;

import java.time.Duration;
import java.util.List;

/** The recipe's defaults: safe unless a rule says otherwise. */
public final class Defaults {
    private Defaults() {}

    public static final long MAX_MESSAGE_SIZE = 35L * 1024 * 1024;
    /** Recipients per transaction: Postfix's smtpd_recipient_limit (RFC 5321 §4.5.3.1.8 asks for at least 100). */
    public static final int MAX_RECIPIENTS = 1000;
    /** Postfix's smtpd_soft_error_limit and smtpd_hard_error_limit. */
    public static final int SOFT_ERROR_LIMIT = 10;
    public static final int HARD_ERROR_LIMIT = 20;
    /** No SMTP session needs an hour; a slow-drip client that keeps one open holds a connection slot. */
    public static final Duration SESSION_TIMEOUT = Duration.ofHours(1);
    /** Bytes per second during DATA: Postfix's smtpd_min_data_rate. */
    public static final long MIN_DATA_RATE = 500;

    /** One listener; change it with its with-methods. */
    public static Config.Listener listener(String address, int port) {
        return new Config.Listener(address, port, Config.ListenerTls.STARTTLS, Config.ListenerAuth.OPTIONAL);
    }

    public static List<Config.Listener> listeners(String address, int smtp, int submission, int smtps) {
        return List.of(
                new Config.Listener(address, smtp, Config.ListenerTls.STARTTLS, Config.ListenerAuth.OPTIONAL),
                new Config.Listener(address, submission, Config.ListenerTls.REQUIRE, Config.ListenerAuth.REQUIRE),
                new Config.Listener(address, smtps, Config.ListenerTls.IMPLICIT, Config.ListenerAuth.REQUIRE));
    }

    /** smtpd.conf: {@code match from any for domain <local> action "local_mail"}, {@code match from auth for any action "outbound"}. */
    public static List<Config.MatchRule> matches() {
        return List.of(
                new Config.MatchRule(new Config.From.Any(), new Config.For.Local(), Config.Action.DELIVER),
                new Config.MatchRule(new Config.From.Local(), new Config.For.Any(), Config.Action.RELAY),
                new Config.MatchRule(new Config.From.Auth(), new Config.For.Any(), Config.Action.RELAY));
    }

    public static Config.Tls tls(Config.TlsMode mode) {
        return new Config.Tls(mode, "tls/fullchain.pem", "tls/privkey.pem", "letsencrypt", "", 80, List.of(), "");
    }

    public static Config.Delivery delivery(Config.DeliveryFormat format) {
        return new Config.Delivery(format, MAX_MESSAGE_SIZE);
    }

    public static Config.Limits limits() {
        return new Config.Limits(200, 20, Duration.ofMinutes(5), 3, 10, Duration.ofMinutes(15),
                MAX_RECIPIENTS, SOFT_ERROR_LIMIT, HARD_ERROR_LIMIT, SESSION_TIMEOUT, MIN_DATA_RATE);
    }

    public static Config.Submission submission() {
        return new Config.Submission(true, List.of());
    }

    public static Config.Queue queue() {
        return new Config.Queue(List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20),
                Duration.ofMinutes(40), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4)),
                Duration.ofDays(4));
    }

    public static Config.Outbound outbound() {
        return new Config.Outbound("", 25, Config.OutboundTls.OPPORTUNISTIC, "", "", "");
    }

    /** Common DNS blocklists (DNSBL) that receivers consult; queried as REVERSED-IP.ZONE (RFC 5782). */
    public static final List<String> BLOCKLISTS = List.of("zen.spamhaus.org", "bl.spamcop.net");

    /** A well-known mail exchanger, to see whether outbound port 25 is open from this host. */
    public static final String OUTBOUND_PROBE = "gmail-smtp-in.l.google.com:25";

    public static Config.Dns dns() {
        return new Config.Dns(Config.SpfAll.FAIL, "", "", BLOCKLISTS, OUTBOUND_PROBE);
    }

    /** DMARC enforced, no blocklist and no greylisting: both cost delay or false refusals, and are opt-in. */
    public static Config.Inbound inbound() {
        return new Config.Inbound(Config.DmarcMode.ENFORCE, List.of(), false, Duration.ofMinutes(5));
    }

    public static Config config(String hostname, List<String> domains, List<Config.Listener> listeners,
                                Config.TlsMode tls, Config.DeliveryFormat format) {
        return new Config(hostname, domains, "", "", "", tls(tls), listeners, delivery(format), limits(),
                submission(), queue(), outbound(), matches(), dns(), inbound());
    }
}
