package org.mailwright.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.mailwright.config.Config;
import org.mailwright.dns.Dnsbl;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * Admits or refuses connections (per-listener and per-address limits; where other servers connect, the
 * {@code [inbound] dnsbl} blocklists), logs each one's start and end, and counts sessions in and out of
 * {@link OpenSessions}. SubEthaSMTP calls {@link #onSessionEnd} only for sessions it accepted, so every refusal
 * here gives its count back itself.
 */
final class SessionTracker implements SessionHandler {
    private final Inbound in;
    private final Config.Listener listener;
    private final SessionDeadlines deadlines;
    private final AtomicInteger open = new AtomicInteger();

    SessionTracker(Inbound in, Config.Listener listener, SessionDeadlines deadlines) {
        this.in = in;
        this.listener = listener;
        this.deadlines = deadlines;
    }

    @Override
    public SessionAcceptance accept(Session s) {
        InetAddress address = s.getRemoteAddress().getAddress();
        OpenSessions.OpenSession o = in.sessions().open(s, address, open);
        try {
            in.log().event(s.getSessionId(), "smtp", "connected", "address", address.getHostAddress(), "port", listener.port());
            Config.Limits limits = in.config().limits();
            if (o.onListener > limits.maxConnections()) {
                return refuse(s, address, "too many connections", "4.7.0 " + in.config().hostname() + " Too many connections; try again later");
            }
            if (o.fromAddress > limits.maxConnectionsPerIp()) {
                return refuse(s, address, "too many connections from this address",
                        "4.7.0 " + in.config().hostname() + " Too many connections from your address; try again later");
            }
            Dnsbl.Listing listed = blocklisted(s, address);
            if (listed != null) {
                String ip = address.getHostAddress();
                return refuse(s, 554, "5.7.1 Service unavailable; client [" + ip + "] listed by " + listed.zone()
                        + (listed.reason().isEmpty() ? "" : "; " + listed.reason()), "address", ip, "reason", "dnsbl", "list", listed.zone());
            }
            if (s.getSocket() instanceof SSLSocket ssl) {
                try {
                    ssl.startHandshake(); // implicit TLS (465): handshake before the greeting
                    in.log().event(s.getSessionId(), "smtp", "tls", "version", ssl.getSession().getProtocol(),
                            "cipher", ssl.getSession().getCipherSuite());
                    s.setTlsStarted(true);
                } catch (IOException e) {
                    in.sessions().close(s);
                    in.log().event(s.getSessionId(), "smtp", "tls-failed", "address", address.getHostAddress(), "error", e.getMessage());
                    return SessionAcceptance.failure(421, "4.7.0 TLS handshake failed");
                }
            }
            deadlines.start(s, o);
            return SessionAcceptance.success();
        } catch (RuntimeException e) {
            in.sessions().close(s);
            throw e;
        }
    }

    private SessionAcceptance refuse(Session s, InetAddress address, String reason, String reply) {
        return refuse(s, 421, reply, "address", address.getHostAddress(), "reason", reason);
    }

    private SessionAcceptance refuse(Session s, int code, String reply, Object... logFields) {
        in.sessions().close(s);
        in.log().event(s.getSessionId(), "smtp", "refused", logFields);
        return SessionAcceptance.failure(code, reply);
    }

    /**
     * The first {@code [inbound] dnsbl} list naming the client, or null. Only where other servers connect: a
     * submission listener (AUTH required) is for our own users, who may well sit on a listed dynamic address. A list
     * that cannot answer is logged and lists nobody.
     */
    private Dnsbl.Listing blocklisted(Session s, InetAddress address) {
        Config c = in.config();
        if (listener.isSubmission() || c.inbound().dnsbl().isEmpty()) return null;
        Dnsbl.Verdict v = in.dnsbl().check(address, c.inbound().dnsbl(), c.outbound().resolver());
        for (Dnsbl.Failure f : v.failures()) {
            in.log().event(s.getSessionId(), "smtp", "dnsbl-failed", "address", address.getHostAddress(), "list", f.zone(),
                    "error", f.error());
        }
        return v.listing();
    }

    @Override
    public void onSessionEnd(Session s) {
        in.sessions().close(s);
        in.log().event(s.getSessionId(), "smtp", "disconnected", "address", s.getRemoteAddress().getAddress().getHostAddress());
    }
}
