package org.mailwright.mta;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailwright.config.Config;
import org.mailwright.log.Maillog;
import org.mailwright.mail.Addresses;
import org.mailwright.mail.HostPort;
import org.mailwright.queue.DeliveryException;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.Outcome;
import org.mailwright.queue.Relay;

/**
 * The mta role: sends the envelopes of one message for one domain to that domain's mail exchangers (or to
 * the configured smarthost), in one transaction, and reports one result per recipient with the peer's own reply.
 * <ul>
 * <li>MX hosts in preference order, then the domain's A/AAAA (RFC 5321 §5.1); a host that is down, refuses,
 *     or answers 4xx → the next one; all failing → TempFail with the last error.</li>
 * <li>STARTTLS whenever offered ({@code tls = opportunistic}), never in clear ({@code require}), or not at all
 *     ({@code none}); a failed handshake falls back to a clear connection in opportunistic mode only.</li>
 * <li>DKIM-signed on the way out when the From: domain is ours (see {@link OutboundSigner}).</li>
 * <li>Connections are kept for the next message to the same host ({@link ConnectionCache}).</li>
 * </ul>
 */
public final class OutboundRelay implements Relay, AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(5);

    private final String hostname;
    private final Path dataDir;
    private final Maillog log;
    /** [outbound] as one unit, swapped by {@link #apply}; an attempt reads it once, at its start. */
    private volatile Settings settings;
    private final ClientTls clientTls = new ClientTls();
    private final OutboundSigner signer;
    private final ConnectionCache<SmtpConnection> cache = new ConnectionCache<>(Duration.ofSeconds(30), 16, 100);

    private record Settings(Config.Outbound outbound, MxLookup dns, Smarthost smarthost) {}

    /** Where the smarthost is and who we are there; the password stays in memory only. */
    private record Smarthost(String host, int port, String user, String password) {
        @Override public String toString() { return host + ":" + port + " user=" + user; }
    }

    /** A host to try: its name, addresses and port, and whether we log in there. */
    private record Route(String name, List<InetAddress> addresses, int port, boolean smarthost) {}

    /** Fails when a smarthost password file is missing or readable by others. */
    public OutboundRelay(Config config, Path dataDir, Maillog log) throws IOException {
        this.hostname = config.hostname();
        this.dataDir = dataDir;
        this.log = log;
        this.signer = new OutboundSigner(dataDir.resolve("dkim"), config::isLocalDomain);
        this.settings = settings(config.outbound(), dataDir);
    }

    /**
     * Resolver, port, TLS policy and smarthost from the next attempt on (config.reload). Fails, changing
     * nothing, when the new smarthost's password file is missing or readable by others.
     */
    public void apply(Config.Outbound next) throws IOException {
        settings = settings(next, dataDir);
    }

    private static Settings settings(Config.Outbound o, Path dataDir) throws IOException {
        return new Settings(o, new MxLookup(o.resolverOpt(), DNS_TIMEOUT), o.smarthostOpt().isEmpty() ? null : smarthost(o, dataDir));
    }

    private static Smarthost smarthost(Config.Outbound o, Path dataDir) throws IOException {
        HostPort hp = HostPort.parse(o.smarthost());
        String host = hp.host();
        int port = hp.port();
        String password = "";
        if (!o.smarthostPasswordFile().isBlank()) {
            Path file = dataDir.resolve(o.smarthostPasswordFile());
            if (!Files.isRegularFile(file)) {
                throw new IOException("smarthost_password_file " + file + " does not exist — write the password into it (mode 0600)");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new IOException("smarthost_password_file " + file + " is readable by others (mode "
                        + PosixFilePermissions.toString(perms) + ") — chmod 600 " + file);
            }
            password = Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        if (!o.smarthostUser().isBlank() && password.isEmpty()) {
            throw new IOException("smarthost_user is set but no password: set smarthost_password_file to a file (mode 0600) holding it");
        }
        return new Smarthost(host, port, o.smarthostUser(), password);
    }

    /** One recipient's state while the hosts are tried. */
    private static final class Pending {
        final Envelope envelope;
        Outcome outcome = Outcome.TEMPFAIL;
        String stat = "451 4.4.1 no host was reachable";
        String relay = "";
        boolean done;

        Pending(Envelope e) {
            envelope = e;
        }

        void set(Outcome o, String stat, String relay) {
            outcome = o;
            this.stat = stat;
            this.relay = relay;
            done = o != Outcome.TEMPFAIL;
        }
    }

    /** A host failed as a whole (connection, greeting, TLS, AUTH, or MAIL/DATA 4xx): try the next one. */
    private static final class HostFailure extends Exception {
        HostFailure(String stat) {
            super(stat);
        }
    }

    @Override
    public List<Result> send(List<Envelope> envelopes, Path messageFile) {
        Envelope first = envelopes.get(0);
        String domain = Addresses.domainOf(first.to());
        List<Pending> all = envelopes.stream().map(Pending::new).toList();
        refuseUnsendablePaths(first.from(), all);
        if (all.stream().allMatch(p -> p.done)) return results(all);
        try {
            byte[] message = prepare(first, Files.readAllBytes(messageFile));
            List<Route> routes = routes(domain);
            for (Route route : routes) {
                for (InetAddress address : route.addresses()) {
                    List<Pending> open = all.stream().filter(p -> !p.done).toList();
                    if (open.isEmpty()) break;
                    tryHost(first, route, address, open, message);
                }
            }
        } catch (DeliveryException f) {
            for (Pending p : all) if (!p.done) p.set(f.outcome(), f.getMessage(), "");
        } catch (IOException e) {
            for (Pending p : all) if (!p.done) p.set(Outcome.TEMPFAIL, "451 4.3.0 cannot read the queued message: " + e.getMessage(), "");
        }
        return results(all);
    }

    private static List<Result> results(List<Pending> all) {
        List<Result> results = new ArrayList<>();
        for (Pending p : all) results.add(new Result(p.envelope, p.outcome, p.stat, p.relay));
        return results;
    }

    /**
     * Fails permanently what must not go into a command (see {@link MailPath}): a bad sender fails every recipient
     * (RFC 3463 5.1.7), a bad recipient only itself (5.1.3). Retrying would not make the address any better.
     */
    private static void refuseUnsendablePaths(String from, List<Pending> all) {
        Optional<String> badSender = MailPath.problem(from);
        for (Pending p : all) {
            if (badSender.isPresent()) {
                p.set(Outcome.PERMFAIL, "550 5.1.7 not sent: the sender address " + badSender.get(), "");
                continue;
            }
            Optional<String> badRecipient = p.envelope.to().isEmpty() ? Optional.of("is empty") : MailPath.problem(p.envelope.to());
            badRecipient.ifPresent(why -> p.set(Outcome.PERMFAIL, "550 5.1.3 not sent: the recipient address " + why, ""));
        }
    }

    /**
     * The message as it leaves: line ends normalised first (what {@link DataTransparency} sends), then DKIM-signed
     * when its From: domain is ours and keys exist, so that the signature covers the bytes the peer receives.
     */
    private byte[] prepare(Envelope first, byte[] stored) throws IOException {
        byte[] message = DataTransparency.normalized(stored);
        try {
            OutboundSigner.Signed s = signer.sign(message);
            if (s.domain().isPresent()) {
                log.event(first.messageId(), "mta", "dkim-signed", "domain", s.domain().get(), "keys", String.join(",", s.selectors()));
            }
            return s.message();
        } catch (IllegalArgumentException e) {
            log.event(first.messageId(), "mta", "dkim-skipped", "reason", e.getMessage());
            return message;
        }
    }

    private List<Route> routes(String domain) throws DeliveryException {
        Settings now = settings;
        Smarthost smarthost = now.smarthost();
        if (smarthost != null) {
            return List.of(new Route(smarthost.host(), now.dns().addressesOf(smarthost.host()), smarthost.port(), true));
        }
        List<Route> routes = new ArrayList<>();
        for (MxLookup.Host h : now.dns().mailExchangers(domain)) {
            routes.add(new Route(h.name(), h.addresses(), now.outbound().port(), false));
        }
        return routes;
    }

    private void tryHost(Envelope first, Route route, InetAddress address, List<Pending> open, byte[] message) {
        InetSocketAddress target = new InetSocketAddress(address, route.port());
        String key = (route.smarthost() ? "smarthost|" : "mx|") + route.name() + "|" + target;
        String relay = route.name() + "[" + address.getHostAddress() + "]";
        SmtpConnection c = cache.take(key);
        try {
            if (c != null) {
                try {
                    transaction(c, first.from(), open, message);
                    cache.give(key, c);
                    return;
                } catch (IOException stale) {
                    c.close();
                    if (open.stream().anyMatch(p -> p.done)) { // got as far as replies: not just a stale connection
                        hostFailed(first, open, relay, "451 4.4.2 " + relay + ": " + stale.getMessage());
                        return;
                    }
                    // The peer closed the idle connection (its own timeout): a new one is opened below.
                }
            }
            c = connect(first, route, target);
            transaction(c, first.from(), open, message);
            cache.give(key, c);
        } catch (HostFailure f) {
            if (c != null) c.close();
            hostFailed(first, open, relay, f.getMessage());
        } catch (IOException e) {
            if (c != null) c.close();
            hostFailed(first, open, relay, "451 4.4.2 " + relay + ": " + e.getMessage());
        }
    }

    private void hostFailed(Envelope first, List<Pending> open, String relay, String stat) {
        log.event(first.messageId(), "mta", "host-failed", "relay", relay, "stat", stat);
        for (Pending p : open) if (!p.done) p.set(Outcome.TEMPFAIL, stat, relay);
    }

    /** Opens a connection: greeting, EHLO, STARTTLS per policy, AUTH at a smarthost. */
    private SmtpConnection connect(Envelope first, Route route, InetSocketAddress target) throws IOException, HostFailure {
        Settings now = settings;
        Smarthost smarthost = now.smarthost();
        Config.OutboundTls policy = route.smarthost() ? Config.OutboundTls.REQUIRE : now.outbound().tls();
        String relay = route.name() + "[" + target.getAddress().getHostAddress() + "]";
        SmtpConnection c = open(route, target, relay);
        String tlsNote = "none";
        if (policy != Config.OutboundTls.NONE && c.offers("STARTTLS")) {
            try {
                c.startTls(clientTls);
                hello(c, relay);
            } catch (SmtpConnection.ReplyException refused) {
                if (policy == Config.OutboundTls.REQUIRE) {
                    c.quit();
                    throw new HostFailure(refused.reply().text());
                }
                tlsNote = "refused";
            } catch (IOException handshake) {
                c.close();
                log.event(first.messageId(), "mta", "tls-failed", "relay", relay, "error", handshake.getMessage(),
                        "next", policy == Config.OutboundTls.REQUIRE ? null : "reconnect without TLS");
                if (policy == Config.OutboundTls.REQUIRE) {
                    throw new HostFailure("451 4.7.5 TLS handshake with " + relay + " failed: " + handshake.getMessage());
                }
                // Opportunistic TLS: a broken handshake does not stop the mail (RFC 7435 §3).
                c = open(route, target, relay);
                tlsNote = "failed";
            }
        } else if (policy == Config.OutboundTls.REQUIRE) {
            c.quit();
            throw new HostFailure("451 4.7.4 " + relay + " does not offer STARTTLS and TLS is required"
                    + (route.smarthost() ? " for the smarthost" : " ([outbound] tls = \"require\")"));
        }
        SmtpConnection.TlsState tls = c.tls();
        log.event(first.messageId(), "mta", "connected", "relay", relay + ":" + target.getPort(),
                "tls", tls == null ? tlsNote : tls.protocol(), "cipher", tls == null ? null : tls.cipher(),
                "verified", tls == null ? null : (tls.verified() ? "yes" : "no"),
                "verify-error", tls == null || tls.verified() ? null : tls.verifyError());
        if (route.smarthost() && smarthost != null && !smarthost.user().isEmpty()) {
            try {
                c.authenticate(smarthost.user(), smarthost.password());
                log.event(first.messageId(), "mta", "auth", "relay", relay, "user", smarthost.user(), "result", "ok");
            } catch (SmtpConnection.ReplyException e) {
                log.event(first.messageId(), "mta", "auth", "relay", relay, "user", smarthost.user(), "result", "fail",
                        "stat", e.reply().text());
                c.quit();
                // Our credentials, not the mail, are wrong: the mail waits for the fix instead of bouncing.
                throw new HostFailure("451 4.7.0 the smarthost refused our login: " + e.reply().text()
                        + " — check smarthost_user and smarthost_password_file");
            }
        }
        return c;
    }

    private SmtpConnection open(Route route, InetSocketAddress target, String relay) throws IOException, HostFailure {
        SmtpConnection c;
        try {
            c = SmtpConnection.open(route.name(), target, TIMEOUT);
        } catch (SmtpConnection.ReplyException e) {
            throw new HostFailure(e.reply().text());
        } catch (IOException e) {
            throw new HostFailure("451 4.4.1 connect to " + relay + ":" + target.getPort() + ": " + e.getMessage());
        }
        hello(c, relay);
        return c;
    }

    private void hello(SmtpConnection c, String relay) throws IOException, HostFailure {
        try {
            c.hello(hostname);
        } catch (SmtpConnection.ReplyException e) {
            c.quit();
            throw new HostFailure(e.reply().text());
        }
    }

    /**
     * MAIL, one RCPT per recipient, DATA, the message: pipelined when the peer offers PIPELINING (RFC 2920).
     * Sets each recipient's outcome; a 4xx on MAIL or DATA throws {@link HostFailure} so the next host is tried.
     */
    private void transaction(SmtpConnection c, String from, List<Pending> rcpts, byte[] message) throws IOException, HostFailure {
        String relay = c.relay();
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(from).append('>');
        if (c.offers("SIZE")) mail.append(" SIZE=").append(message.length);
        if (c.offers("8BITMIME") && has8bit(message)) mail.append(" BODY=8BITMIME");
        List<Pending> todo = rcpts.stream().filter(p -> !p.done).toList();
        SmtpConnection.Reply mailReply;
        Map<Pending, SmtpConnection.Reply> rcptReplies = new LinkedHashMap<>();
        SmtpConnection.Reply dataReply = null;
        if (c.offers("PIPELINING")) {
            c.send(mail.toString());
            for (Pending p : todo) c.send("RCPT TO:<" + p.envelope.to() + ">");
            c.send("DATA");
            c.flush();
            mailReply = c.read();
            for (Pending p : todo) rcptReplies.put(p, c.read());
            dataReply = c.read();
        } else {
            mailReply = c.command(mail.toString());
            if (mailReply.positive()) {
                for (Pending p : todo) rcptReplies.put(p, c.command("RCPT TO:<" + p.envelope.to() + ">"));
                if (rcptReplies.values().stream().anyMatch(SmtpConnection.Reply::positive)) dataReply = c.command("DATA");
            }
        }
        if (dataReply != null && dataReply.code() == 354 && (!mailReply.positive() || rcptReplies.values().stream().noneMatch(SmtpConnection.Reply::positive))) {
            c.content(new byte[0]); // the peer accepted DATA with nobody to deliver to: end it empty
            dataReply = null;
        }
        if (!mailReply.positive()) {
            reset(c);
            if (mailReply.refusal() == Outcome.PERMFAIL) {
                for (Pending p : todo) p.set(Outcome.PERMFAIL, mailReply.text(), relay);
                return;
            }
            throw new HostFailure(mailReply.text());
        }
        List<Pending> accepted = new ArrayList<>();
        for (Map.Entry<Pending, SmtpConnection.Reply> e : rcptReplies.entrySet()) {
            SmtpConnection.Reply r = e.getValue();
            if (r.positive()) accepted.add(e.getKey());
            else e.getKey().set(r.refusal(), r.text(), relay);
        }
        if (accepted.isEmpty()) {
            reset(c);
            return;
        }
        if (dataReply == null || dataReply.code() != 354) {
            reset(c);
            SmtpConnection.Reply r = dataReply == null ? new SmtpConnection.Reply(451, "451 4.3.0 no reply to DATA") : dataReply;
            if (r.refusal() == Outcome.PERMFAIL) {
                for (Pending p : accepted) p.set(Outcome.PERMFAIL, r.text(), relay);
                return;
            }
            throw new HostFailure(r.text());
        }
        SmtpConnection.Reply done = c.content(message);
        Outcome o = done.code() == 250 ? Outcome.OK : done.refusal();
        for (Pending p : accepted) p.set(o, done.text(), relay);
        if (o == Outcome.TEMPFAIL) throw new HostFailure(done.text());
    }

    private static void reset(SmtpConnection c) throws IOException {
        SmtpConnection.Reply r = c.command("RSET");
        if (r.code() != 250) throw new IOException("RSET refused: " + r.text());
    }

    private static boolean has8bit(byte[] message) {
        for (byte b : message) if (b < 0) return true;
        return false;
    }

    /** The smarthost in use, without its password, for status displays. */
    public Optional<String> smarthost() {
        return Optional.ofNullable(settings.smarthost()).map(Smarthost::toString);
    }

    @Override
    public void close() {
        cache.close();
    }
}
