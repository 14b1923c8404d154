package org.mailwright.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigWriter;
import org.mailwright.config.Defaults;
import org.mailwright.lookup.Passwd;
import org.mailwright.tls.SelfSigned;

/**
 * A data directory for a test: the recipe's three listeners on free loopback ports, a self-signed
 * certificate, and users. Tests change the config through {@link #config(UnaryOperator)}.
 */
public final class TestData {
    public final Path dir;
    public final String host;
    public final String domain;
    public final int smtp;
    public final int submission;
    public final int smtps;
    /** A resolver address on loopback with nothing listening: lookups fail at once, nothing leaves the machine. */
    public static final String NO_DNS = "127.0.0.1:9";
    private Config config;

    public TestData(Path dir, String host, String domain) throws IOException {
        this(dir, host, domain, "127.0.0.1");
    }

    public TestData(Path dir, String host, String domain, String bind) throws IOException {
        this.dir = dir;
        this.host = host;
        this.domain = domain;
        this.smtp = freePort();
        this.submission = freePort();
        this.smtps = freePort();
        Config c = Defaults.config(host, List.of(domain), Defaults.listeners(bind, smtp, submission, smtps),
                Config.TlsMode.SELF_SIGNED, Config.DeliveryFormat.MAILDIR);
        // Tests never ask this machine's resolver (it is off-box): MX lookups go to a loopback port where no DNS
        // server answers, so remote mail stays queued; tests that relay point this at their own DNS server.
        this.config = withOutbound(c, new Config.Outbound(NO_DNS, c.outbound().port(), c.outbound().tls(), "", "", ""));
        Files.createDirectories(dir);
        SelfSigned.create(List.of(host), Duration.ofDays(30), config.tls().certPath(dir), config.tls().keyPath(dir));
        save();
    }

    public Config config() {
        return config;
    }

    /** Changes and saves the configuration. */
    public TestData config(UnaryOperator<Config> change) throws IOException {
        config = change.apply(config);
        save();
        return this;
    }

    public TestData user(String name, String password) throws IOException {
        new Passwd(dir).set(name, password);
        return this;
    }

    private void save() throws IOException {
        ConfigWriter.save(config, dir);
    }

    public Path maildirNew(String user) {
        return dir.resolve("mail").resolve(user).resolve("new");
    }

    /** Files in a user's Maildir new/ (empty when none). */
    public List<Path> delivered(String user) throws IOException {
        Path d = maildirNew(user);
        if (!Files.isDirectory(d)) return List.of();
        try (var s = Files.list(d)) {
            return new ArrayList<>(s.sorted().toList());
        }
    }

    public String maillog() throws IOException {
        Path log = dir.resolve("log").resolve("maillog");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Ports handed out in this JVM: the system may offer a just-closed port again, and two listeners must not share one. */
    private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A port free now, and not handed out before by this JVM. */
    public static int freePort() throws IOException {
        for (;;) {
            try (ServerSocket s = new ServerSocket(0)) {
                s.setReuseAddress(true);
                if (GIVEN.add(s.getLocalPort())) return s.getLocalPort();
            }
        }
    }

    /** Config with a different delivery block (e.g. mbox). */
    public static Config withDelivery(Config c, Config.Delivery d) {
        return c.withDelivery(d);
    }

    /** The connection and AUTH limits a test sets; the per-session ones at their defaults. */
    public static Config.Limits limits(int maxConnections, int maxConnectionsPerIp, Duration idleTimeout,
                                       int authFailuresBeforeDelay, int authFailuresBeforeLockout, Duration authLockout) {
        return Defaults.limits().withMaxConnections(maxConnections).withMaxConnectionsPerIp(maxConnectionsPerIp)
                .withIdleTimeout(idleTimeout).withAuthFailuresBeforeDelay(authFailuresBeforeDelay)
                .withAuthFailuresBeforeLockout(authFailuresBeforeLockout).withAuthLockout(authLockout);
    }

    public static Config withLimits(Config c, Config.Limits l) {
        return c.withLimits(l);
    }

    public static Config withOutbound(Config c, Config.Outbound o) {
        return c.withOutbound(o);
    }

    public static Config withQueue(Config c, Config.Queue q) {
        return c.withQueue(q);
    }
}
