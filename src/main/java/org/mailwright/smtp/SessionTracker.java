package org.mailwright.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.mailwright.config.Config;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/** Admits or refuses connections (per-address limit) and logs each one's start and end. */
final class SessionTracker implements SessionHandler {
    private final Inbound in;
    private final Config.Listener listener;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress;

    SessionTracker(Inbound in, Config.Listener listener, ConcurrentHashMap<InetAddress, AtomicInteger> perAddress) {
        this.in = in;
        this.listener = listener;
        this.perAddress = perAddress;
    }

    @Override
    public SessionAcceptance accept(Session s) {
        InetAddress address = s.getRemoteAddress().getAddress();
        int n = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        in.log().event(s.getSessionId(), "smtp", "connected", "address", address.getHostAddress(), "port", listener.port());
        if (n > in.config().limits().maxConnectionsPerIp()) {
            in.log().event(s.getSessionId(), "smtp", "refused", "address", address.getHostAddress(), "reason", "too many connections from this address");
            return SessionAcceptance.failure(421, "4.7.0 " + in.config().hostname() + " Too many connections from your address; try again later");
        }
        if (s.getSocket() instanceof SSLSocket ssl) {
            try {
                ssl.startHandshake(); // implicit TLS (465): handshake before the greeting
                in.log().event(s.getSessionId(), "smtp", "tls", "version", ssl.getSession().getProtocol(),
                        "cipher", ssl.getSession().getCipherSuite());
                s.setTlsStarted(true);
            } catch (IOException e) {
                in.log().event(s.getSessionId(), "smtp", "tls-failed", "address", address.getHostAddress(), "error", e.getMessage());
                return SessionAcceptance.failure(421, "4.7.0 TLS handshake failed");
            }
        }
        return SessionAcceptance.success();
    }

    @Override
    public void onSessionEnd(Session s) {
        InetAddress address = s.getRemoteAddress().getAddress();
        AtomicInteger n = perAddress.get(address);
        if (n != null && n.decrementAndGet() <= 0) perAddress.remove(address, n);
        in.log().event(s.getSessionId(), "smtp", "disconnected", "address", address.getHostAddress());
    }
}
