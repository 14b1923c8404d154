package org.mailwright.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mailwright.config.Config;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.SMTPServer;

/** The smtp role's listeners: one SubEthaSMTP server per {@code [[listen]]} block. */
public final class SmtpListeners implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Inbound in;
    private final List<SMTPServer> servers = new ArrayList<>();
    private final SessionDeadlines deadlines;

    public SmtpListeners(Inbound in) {
        this.in = in;
        this.deadlines = new SessionDeadlines(in);
    }

    /** Starts every listener, or none: a port that cannot be bound stops them all with a clear message. */
    public void start() throws IOException {
        try {
            List<Config.Listener> all = in.config().listeners();
            for (int i = 0; i < all.size(); i++) {
                Config.Listener l = all.get(i);
                SMTPServer server = build(l);
                try {
                    server.start();
                } catch (RuntimeException e) {
                    throw ListenerUnavailable.of(i, l, e);
                }
                servers.add(server);
                in.log().event("-", "smtp", "listening", "address", l.address(), "port", l.port(), "tls", l.tls().word(), "auth", l.auth().word());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private SMTPServer build(Config.Listener l) throws IOException {
        Config cfg = in.config();
        SMTPServer.Builder b = SMTPServer.port(l.port())
                .bindAddress(InetAddress.getByName(l.address()))
                .hostName(cfg.hostname())
                .softwareName("Mailwright")
                .backlog(128)
                // SessionTracker refuses at max_connections with an enhanced code and a maillog line; the library's
                // own refusal (plain "421 Too many connections") is only the backstop one session later.
                .maxConnections(cfg.limits().maxConnections() + 1)
                // 0 means no timeout for the library too; the config check keeps the millis within an int
                .connectionTimeout((int) Math.min(Integer.MAX_VALUE, cfg.limits().idleTimeout().toMillis()), TimeUnit.MILLISECONDS)
                .maxMessageSize((int) Math.min(Integer.MAX_VALUE - 1L, cfg.delivery().maxMessageSize()))
                .maxRecipients(cfg.limits().maxRecipients())
                .messageHandlerFactory(ctx -> new Transaction())
                .sessionHandler(new SessionTracker(in, l, deadlines))
                .sessionIdFactory(() -> HexFormat.of().formatHex(randomBytes()))
                .serverThreadName("mailwright-smtp-" + l.port());
        if (l.tls() == Config.ListenerTls.IMPLICIT) {
            b.serverSocketFactory(() -> in.tls().implicitTlsServerSocket());
        } else {
            b.serverSocketFactory(ServerSocket::new);
        }
        SMTPServer server = b.build();
        for (Command c : Commands.all(in, l)) {
            server.getCommandHandler().addCommand(c); // replaces the library's command of the same name
        }
        UnknownVerbs.install(server.getCommandHandler(), new Commands.Unrecognized(in));
        return server;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    public List<Config.Listener> listeners() {
        return in.config().listeners();
    }

    @Override
    public void close() {
        for (SMTPServer s : servers) {
            try {
                s.stop();
            } catch (RuntimeException ignored) {
                // stopping the others matters more
            }
        }
        servers.clear();
        deadlines.close();
        try {
            in.greylist().save();
        } catch (IOException e) {
            in.log().event("-", "smtp", "greylist-not-saved", "error", e.getMessage()); // costs a delay after the restart
        }
    }
}
