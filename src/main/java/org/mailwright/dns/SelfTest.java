package org.mailwright.dns;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.mailwright.config.Config;
import org.mailwright.mail.HostPort;
import org.mailwright.tls.CertificateInfo;
import org.mailwright.tls.Pem;

/**
 * The deliverability self-test ({@code mailwright check}), read like a mail-tester report: DNS, the TLS
 * certificate, our own listeners, an open-relay probe, DNS blocklists and outbound port 25, then a score
 * out of 10 where every deduction says why and how to fix it.
 */
public final class SelfTest {

    /** Certificates that expire sooner than this are flagged (ACME renews at 30 days left). */
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    public enum Verdict { PASS, WARN, FAIL }

    /** One line of the report; {@code deduction} points are taken off the score of 10. */
    public record Finding(String area, Verdict verdict, String title, String detail, double deduction, String fix) {}

    /** The whole report: the DNS rows, every finding, and the score. */
    public record Report(List<DnsCheck.Row> dns, List<Finding> findings) {
        public double score() {
            double lost = findings.stream().mapToDouble(Finding::deduction).sum();
            return Math.max(0, Math.round((10 - lost) * 10) / 10.0);
        }

        public boolean anyFailure() {
            return findings.stream().anyMatch(f -> f.verdict() == Verdict.FAIL);
        }
    }

    /**
     * What to probe and how long to wait.
     *
     * @param outboundProbe HOST:PORT of a mail server outside, to see whether port 25 leaves this host
     * @param timeout       for each connection and greeting; a blocked port gives a verdict, not a hang
     */
    public record Options(String outboundProbe, Duration timeout, Instant now) {}

    /** Points off for a required record kind that is not OK (counted once per kind, however many domains). */
    private static final Map<DnsRecord.Kind, Double> DNS_WEIGHT = new EnumMap<>(Map.of(
            DnsRecord.Kind.ADDRESS, 1.5, DnsRecord.Kind.ADDRESS6, 0.5, DnsRecord.Kind.MX, 1.0,
            DnsRecord.Kind.SPF, 1.5, DnsRecord.Kind.DKIM, 1.5, DnsRecord.Kind.DMARC, 1.0, DnsRecord.Kind.PTR, 2.0));

    private final Config config;
    private final Path dataDir;
    private final DnsClient dns;
    private final Options options;
    private final List<Finding> findings = new ArrayList<>();

    private SelfTest(Config config, Path dataDir, DnsClient dns, Options options) {
        this.config = config;
        this.dataDir = dataDir;
        this.dns = dns;
        this.options = options;
    }

    public static Report run(Config config, Path dataDir, DnsRecords records, DnsClient dns, Options options) {
        SelfTest t = new SelfTest(config, dataDir, dns, options);
        List<DnsCheck.Row> rows = new DnsCheck(config, dns).run(records);
        t.judgeDns(rows, records);
        t.certificate();
        t.listeners();
        t.openRelay();
        t.blocklists();
        t.outbound();
        return new Report(rows, List.copyOf(t.findings));
    }

    private void add(String area, Verdict v, String title, String detail, double deduction, String fix) {
        findings.add(new Finding(area, v, title, detail, deduction, fix));
    }

    // ---- DNS ----

    private void judgeDns(List<DnsCheck.Row> rows, DnsRecords records) {
        Map<DnsRecord.Kind, List<DnsCheck.Row>> bad = new LinkedHashMap<>();
        for (DnsCheck.Row r : rows) {
            if (!r.ok()) bad.computeIfAbsent(r.record().kind(), k -> new ArrayList<>()).add(r);
        }
        if (bad.isEmpty()) {
            add("DNS", Verdict.PASS, "All " + rows.size() + " records are published as expected", "", 0, "");
        }
        for (Map.Entry<DnsRecord.Kind, List<DnsCheck.Row>> e : bad.entrySet()) {
            DnsCheck.Row first = e.getValue().get(0);
            boolean required = first.record().required();
            String names = e.getValue().stream().map(r -> r.record().name() + " " + r.status()).collect(Collectors.joining(", "));
            double weight = required ? DNS_WEIGHT.getOrDefault(e.getKey(), 1.0) : 0;
            String label = e.getKey() == DnsRecord.Kind.DKIM ? "DKIM" : DnsRecords.label(first.record());
            add("DNS", required ? Verdict.FAIL : Verdict.WARN, label + " record not OK", names
                    + (first.found().isEmpty() ? "" : "; found " + first.found()), weight,
                    first.detail().isEmpty() ? "publish " + first.record().type() + " " + first.record().value() : first.detail());
        }
        if (config.ip().isEmpty()) {
            add("DNS", Verdict.FAIL, "No public IP in mailwright.conf", "A, PTR, SPF and the blocklists cannot be checked",
                    2.0, "set ip = \"A.B.C.D\" in mailwright.conf");
        }
        if (records.records().stream().noneMatch(r -> r.kind() == DnsRecord.Kind.DKIM)) {
            add("DNS", Verdict.FAIL, "No DKIM key", "outgoing mail is not signed; big providers file unsigned mail as spam",
                    1.5, "run `mailwright dkim keygen`, then publish the record `mailwright dns records` prints");
        }
    }

    // ---- TLS certificate ----

    private void certificate() {
        if (config.tls().mode() == Config.TlsMode.NONE) {
            add("TLS", Verdict.FAIL, "No TLS", "mail to and from us crosses the network in clear; some receivers refuse it",
                    1.5, "get a certificate: `mailwright tls acme` (or `tls self-signed`) and set [tls] mode");
            return;
        }
        Path file = config.tls().certPath(dataDir);
        List<X509Certificate> chain;
        try {
            chain = Pem.readCertificates(file);
        } catch (IOException e) {
            add("TLS", Verdict.FAIL, "Certificate cannot be read", e.getMessage(), 1.5,
                    "run `mailwright tls acme` or `tls self-signed`, or fix [tls] cert");
            return;
        }
        CertificateInfo leaf = CertificateInfo.of(chain.get(0));
        Instant now = options.now();
        Instant notAfter = leaf.notAfter();
        if (now.isBefore(leaf.notBefore()) || now.isAfter(notAfter)) {
            add("TLS", Verdict.FAIL, "Certificate is not valid now", leaf.subject() + " is valid from " + leaf.notBefore()
                    + " to " + notAfter, 2.0, "renew it: `mailwright tls acme` (or `tls self-signed`)");
        } else if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
            add("TLS", Verdict.WARN, "Certificate expires soon", "on " + notAfter + ", in "
                    + now.until(notAfter, ChronoUnit.DAYS) + " days", 1.0, "renew it now: `mailwright tls acme`");
        } else {
            add("TLS", Verdict.PASS, "Certificate valid until " + notAfter, "", 0, "");
        }
        if (!leaf.covers(config.hostname())) {
            add("TLS", Verdict.FAIL, "Certificate does not cover " + config.hostname(), "it names " + leaf.names(), 1.5,
                    "get one for the hostname: `mailwright tls acme` or `tls self-signed`");
        } else {
            add("TLS", Verdict.PASS, "Certificate covers " + config.hostname(), "", 0, "");
        }
        String trust = trustProblem(chain);
        if (trust != null) {
            add("TLS", Verdict.WARN, "Certificate is not from a trusted authority", trust, 0.5,
                    "servers accept it for STARTTLS, but mail programs and MTA-STS need a trusted one: `mailwright tls acme`");
        } else {
            add("TLS", Verdict.PASS, "Certificate chain is trusted", leaf.issuer(), 0, "");
        }
    }

    /** Null when Java's default trust store validates the chain; else why not. */
    static String trustProblem(List<X509Certificate> chain) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            Set<TrustAnchor> anchors = new HashSet<>();
            for (var tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate ca : x.getAcceptedIssuers()) anchors.add(new TrustAnchor(ca, null));
                }
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
            return null;
        } catch (GeneralSecurityException e) {
            CertificateInfo leaf = CertificateInfo.of(chain.get(0));
            return leaf.selfSigned() ? "self-signed (" + leaf.subject() + ")"
                    : "not trusted by Java's default trust store: " + e.getMessage();
        }
    }

    // ---- our listeners ----

    private void listeners() {
        for (Config.Listener l : config.listeners()) {
            String where = l.address() + ":" + l.port() + " (" + role(l) + ")";
            InetSocketAddress address = reachable(l);
            try (SmtpProbe p = SmtpProbe.connect(address, l.tls() == Config.ListenerTls.IMPLICIT, options.timeout())) {
                List<String> banner = p.reply();
                String line = SmtpProbe.last(banner);
                if (SmtpProbe.code(banner) != 220) {
                    add("Listeners", Verdict.FAIL, where + " greets with \"" + line + "\"", "expected 220", isInbound(l) ? 2 : 1,
                            "look at DATA/log/maillog for why it refuses connections");
                    continue;
                }
                List<String> ehlo = p.command("EHLO selftest.mailwright.invalid");
                if (SmtpProbe.code(ehlo) != 250) {
                    add("Listeners", Verdict.FAIL, where + " refuses EHLO", SmtpProbe.last(ehlo), 1, "look at DATA/log/maillog");
                    continue;
                }
                boolean startTls = ehlo.stream().anyMatch(x -> x.substring(4).trim().equalsIgnoreCase("STARTTLS"));
                if ((l.tls() == Config.ListenerTls.STARTTLS || l.tls() == Config.ListenerTls.REQUIRE) && !startTls) {
                    add("Listeners", Verdict.FAIL, where + " does not offer STARTTLS", String.join(" | ", ehlo), 1,
                            "check [tls] and the listener's tls setting");
                    continue;
                }
                String[] words = line.split(" ");
                if (words.length < 2 || !words[1].equalsIgnoreCase(config.hostname())) {
                    add("Listeners", Verdict.WARN, where + " greets with another name", "\"" + line + "\"; expected "
                            + config.hostname(), 0.5, "the greeting should name the hostname receivers see in DNS");
                } else {
                    add("Listeners", Verdict.PASS, where + " answers", "\"" + line + "\"", 0, "");
                }
            } catch (IOException e) {
                add("Listeners", Verdict.FAIL, where + " does not answer", describe(e), isInbound(l) ? 2 : 1,
                        "start the engine (`mailwright serve`) and check that nothing else holds the port");
            }
        }
    }

    private static boolean isInbound(Config.Listener l) {
        return l.auth() != Config.ListenerAuth.REQUIRE;
    }

    private static String role(Config.Listener l) {
        if (isInbound(l)) return "for other servers";
        return l.tls() == Config.ListenerTls.IMPLICIT ? "submission, implicit TLS" : "submission";
    }

    /** A wildcard listen address is probed on loopback (the self-test runs on the server itself). */
    private static InetSocketAddress reachable(Config.Listener l) {
        String a = l.address();
        String host = switch (a) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "::0" -> "::1";
            default -> a;
        };
        return new InetSocketAddress(host, l.port());
    }

    // ---- open relay ----

    private void openRelay() {
        Config.Listener l = config.listeners().stream().filter(SelfTest::isInbound).findFirst().orElse(null);
        if (l == null) {
            add("Relay", Verdict.PASS, "No listener for other servers: nobody can relay without AUTH", "", 0, "");
            return;
        }
        String where = l.address() + ":" + l.port();
        try (SmtpProbe p = SmtpProbe.connect(reachable(l), l.tls() == Config.ListenerTls.IMPLICIT, options.timeout())) {
            p.reply();
            p.command("EHLO relay-probe.mailwright.invalid");
            // RFC 2606 names: nothing is ever delivered there, and the probe never sends DATA.
            List<String> mail = p.command("MAIL FROM:<relay-probe@example.com>");
            if (SmtpProbe.code(mail) >= 400) {
                add("Relay", Verdict.PASS, "Not an open relay", "MAIL from an outside address refused on " + where + ": \""
                        + SmtpProbe.last(mail) + "\"", 0, "");
                return;
            }
            List<String> rcpt = p.command("RCPT TO:<relay-probe@example.net>");
            p.command("RSET");
            int code = SmtpProbe.code(rcpt);
            if (code >= 200 && code < 300) {
                add("Relay", Verdict.FAIL, "OPEN RELAY: " + where + " accepts mail from outside for outside",
                        "RCPT TO:<relay-probe@example.net> from " + reachable(l).getHostString() + " got \"" + SmtpProbe.last(rcpt)
                                + "\"; spammers find open relays within hours and every blocklist follows", 10,
                        "remove the [[match]] rule that relays for this source; only `from auth` (or local) may relay");
            } else {
                add("Relay", Verdict.PASS, "Not an open relay", "RCPT TO an outside domain refused on " + where + ": \""
                        + SmtpProbe.last(rcpt) + "\" (probed from " + reachable(l).getHostString() + ")", 0, "");
            }
        } catch (IOException e) {
            add("Relay", Verdict.WARN, "Open-relay probe could not run", where + ": " + describe(e), 0,
                    "start the engine and run the check again");
        }
    }

    // ---- blocklists ----

    private void blocklists() {
        if (config.ip().isEmpty()) return; // reported with the DNS findings
        String reversed = reverseOctets(config.ip());
        for (String zone : config.dns().blocklists()) {
            String name = reversed + "." + zone;
            try {
                List<InetAddress> answer = dns.ipv4(name);
                if (answer.isEmpty()) {
                    add("Blocklists", Verdict.PASS, config.ip() + " is not listed on " + zone, "", 0, "");
                    continue;
                }
                String codes = answer.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
                // RFC 5782 §2.1: listings are 127.0.0.0/8; Spamhaus answers 127.255.255.x for refused queries.
                if (answer.stream().allMatch(a -> a.getHostAddress().startsWith("127.255.255."))) {
                    add("Blocklists", Verdict.WARN, zone + " refused to answer", codes + " — it blocks queries from public"
                            + " or unregistered resolvers", 0, "point [outbound] resolver at your own recursive resolver");
                    continue;
                }
                if (answer.stream().noneMatch(a -> a.getAddress()[0] == 127)) {
                    add("Blocklists", Verdict.WARN, zone + " gave an answer outside 127.0.0.0/8", codes
                            + " — not a listing; the zone or the resolver is misbehaving", 0, "remove it from [dns] blocklists");
                    continue;
                }
                String reason = "";
                try {
                    reason = String.join(" ", dns.txt(name));
                } catch (DnsClient.LookupFailed ignored) {
                    // the listing itself is what counts
                }
                add("Blocklists", Verdict.FAIL, config.ip() + " is LISTED on " + zone, codes + (reason.isEmpty() ? "" : ": " + reason),
                        3, "find out why on the list's web site, fix the cause (open relay, a compromised account), then request delisting");
            } catch (DnsClient.LookupFailed e) {
                add("Blocklists", Verdict.WARN, zone + " could not be asked", e.getMessage(), 0, "check the resolver and run the check again");
            }
        }
    }

    static String reverseOctets(String ipv4) {
        String[] p = ipv4.split("\\.");
        return p[3] + "." + p[2] + "." + p[1] + "." + p[0];
    }

    // ---- outbound port 25 ----

    private void outbound() {
        boolean viaSmarthost = config.outbound().smarthostOpt().isPresent();
        String target = viaSmarthost ? config.outbound().smarthost() : options.outboundProbe();
        String what = viaSmarthost ? "smarthost " + target : "port " + HostPort.parse(target).port() + " of " + target;
        InetSocketAddress address;
        try {
            address = resolve(target);
        } catch (IOException e) {
            add("Outbound", Verdict.WARN, "Cannot test outbound mail", "resolving " + target + ": " + e.getMessage(), 0,
                    "check the resolver, or give --probe-host HOST:PORT");
            return;
        }
        try (SmtpProbe p = SmtpProbe.connect(address, false, options.timeout())) {
            List<String> banner = p.reply();
            if (SmtpProbe.code(banner) == 220) {
                add("Outbound", Verdict.PASS, "Outbound mail can leave: " + what + " answers", "\"" + SmtpProbe.last(banner) + "\"", 0, "");
            } else {
                add("Outbound", Verdict.WARN, what + " answers without a 220 greeting", "\"" + SmtpProbe.last(banner)
                        + "\" — something on the way may intercept SMTP", 1, "ask your hosting provider whether it filters port 25");
            }
        } catch (SocketTimeoutException e) {
            add("Outbound", Verdict.FAIL, "Outbound port 25 looks BLOCKED: no answer from " + target + " within "
                    + options.timeout().toSeconds() + " s", describe(e), viaSmarthost ? 3 : 3,
                    "many hosting providers block port 25: ask them to open it, or send through a provider with [outbound] smarthost");
        } catch (ConnectException e) {
            add("Outbound", Verdict.FAIL, "Outbound connection to " + target + " refused", describe(e), 3,
                    "a firewall refuses it: open outbound port 25, or send through a provider with [outbound] smarthost");
        } catch (IOException e) {
            add("Outbound", Verdict.FAIL, "Outbound connection to " + target + " failed", describe(e), 3,
                    "check the network; if port 25 is blocked use [outbound] smarthost");
        }
    }

    /** IP literals as they are; names through the checker's DNS, never the system resolver behind its back. */
    private InetSocketAddress resolve(String hostPort) throws IOException {
        HostPort target = HostPort.parse(hostPort);
        InetSocketAddress literal = target.literalAddress();
        if (literal != null) return literal;
        List<InetAddress> a = dns.ipv4(target.host());
        if (a.isEmpty()) throw new UnknownHostException(target.host() + " has no A record");
        return new InetSocketAddress(a.get(0), target.port());
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
