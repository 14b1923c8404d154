package org.mailwright.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import org.mailwright.log.Maillog;

/**
 * Keeps the certificate current while the engine runs — the cron job of the OpenBSD recipe
 * ({@code acme-client -v host && rcctl reload smtpd}) built in:
 * <ul>
 *   <li>once a day: renew when fewer than {@value #RENEW_BEFORE_DAYS} days remain (ACME: with the same HTTP-01
 *   responder as {@code tls acme}; self-signed: a new one), or when the certificate misses a configured name;</li>
 *   <li>every few seconds: pick up files that {@code tls acme} or {@code tls import} replaced beside the engine.</li>
 * </ul>
 * Listeners use a new certificate for new connections at once ({@link ServerTls#reload()}). Every check and
 * attempt is a maillog line (role {@code tls}); a failed renewal leaves the old certificate in use and is retried
 * at the next daily check.
 */
public final class CertificateRenewal implements AutoCloseable {
    public static final int RENEW_BEFORE_DAYS = 30;
    /** Not at once: a start is not the moment for an order (and an engine restarted in a loop must not hammer the CA). */
    public static final Duration FIRST_CHECK = Duration.ofHours(1);
    public static final Duration CHECK_EVERY = Duration.ofDays(1);
    public static final Duration WATCH_EVERY = Duration.ofSeconds(5);

    /** What a check did. */
    public enum Outcome { NOT_DUE, RENEWED, FAILED }

    private final Path dataDir;
    private final Config started;
    private final ServerTls tls;
    private final Maillog log;
    private final Clock clock;
    private ScheduledExecutorService timer;
    /** The last reload error logged, so a file left broken is reported once, not every few seconds. */
    private volatile String lastWatchError;

    public CertificateRenewal(Path dataDir, Config config, ServerTls tls, Maillog log, Clock clock) {
        this.dataDir = dataDir;
        this.started = config;
        this.tls = tls;
        this.log = log;
        this.clock = clock;
    }

    /** Starts the daily check (first after {@code firstCheck}) and the watch for replaced files. */
    public synchronized void start(Duration firstCheck, Duration every, Duration watchEvery) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tls-renewal");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::checkQuietly, firstCheck.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::watch, watchEvery.toMillis(), watchEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The names a certificate must cover: the hostname first, then the configured extra names. */
    public static List<String> names(Config config) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        names.add(config.hostname());
        names.addAll(config.tls().extraNames());
        return List.copyOf(names);
    }

    /** The ACME order for this configuration: the responder listens where the mail listeners do. */
    public static AcmeClient.Request acmeRequest(Path dataDir, Config config) {
        Config.Tls t = config.tls();
        List<String> addresses = new ArrayList<>();
        for (Config.Listener l : config.listeners()) addresses.add(l.address());
        return new AcmeClient.Request(t.acmeDirectory(), t.acmeEmail(), names(config), t.acmeHttpPort(), addresses,
                t.acmeTrustPath(dataDir), config.ip());
    }

    public static Path accountKeyFile(Path dataDir) {
        return dataDir.resolve("tls").resolve("acme-account.pem");
    }

    /**
     * The configuration as it is on disk now: `tls acme` or `tls import` beside a running engine change the mode
     * (a Let's Encrypt certificate must not be renewed as a self-signed one because the engine started so).
     */
    Config config() {
        try {
            return ConfigLoader.load(dataDir);
        } catch (ConfigException e) {
            log.event("-", "tls", "config-unreadable", "error", e.getMessage().replace('\n', ' '),
                    "using", "the configuration the engine started with");
            return started;
        }
    }

    /** Why the certificate should be renewed now, or null when it need not be. */
    String dueBecause(X509Certificate cert, Config config) {
        CertificateInfo info = CertificateInfo.of(cert);
        long days = info.daysLeft(clock);
        if (info.expired(clock)) return "expired on " + info.notAfter();
        if (days < RENEW_BEFORE_DAYS) return "expires in " + days + " days";
        for (String name : names(config)) {
            if (!info.covers(name)) return "does not cover " + name;
        }
        if (config.tls().mode() == Config.TlsMode.ACME && info.selfSigned()) return "is self-signed, mode is acme";
        return null;
    }

    /** The daily check; also what a test or the GUI calls to check now. */
    public Outcome check() throws InterruptedException {
        Config config = config();
        X509Certificate cert = tls.certificate();
        CertificateInfo info = CertificateInfo.of(cert);
        String why = dueBecause(cert, config);
        Config.TlsMode mode = config.tls().mode();
        if (why == null) {
            log.event("-", "tls", "checked", "mode", mode.word(), "days_left", info.daysLeft(clock), "not_after", info.notAfter(),
                    "serial", info.serial());
            return Outcome.NOT_DUE;
        }
        if (mode == Config.TlsMode.FILES || mode == Config.TlsMode.NONE) {
            log.event("-", "tls", "renewal-needed", "mode", mode.word(), "why", "certificate " + why,
                    "days_left", info.daysLeft(clock), "what_to_do", "import a new certificate with `mailwright tls import`");
            return Outcome.NOT_DUE;
        }
        return renew("certificate " + why, config);
    }

    /** Renews now, due or not (a forced renewal). */
    public Outcome renew(String why) throws InterruptedException {
        return renew(why, config());
    }

    private Outcome renew(String why, Config config) throws InterruptedException {
        Config.TlsMode mode = config.tls().mode();
        List<String> names = names(config);
        log.event("-", "tls", "renewal-start", "mode", mode.word(), "names", String.join(",", names), "why", why,
                "directory", mode == Config.TlsMode.ACME ? config.tls().acmeDirectory() : null);
        CertificateFiles files = new CertificateFiles(tls.certFile(), tls.keyFile());
        try {
            if (mode == Config.TlsMode.ACME) {
                AcmeClient client = new AcmeClient(accountKeyFile(dataDir), step -> {});
                AcmeClient.Issued issued = client.obtain(acmeRequest(dataDir, config));
                files.install(issued.chain(), issued.key());
            } else {
                SelfSigned.create(names, Duration.ofDays(365), tls.certFile(), tls.keyFile());
            }
            tls.reload();
        } catch (AcmeFailure e) {
            log.event("-", "tls", "renewal-failed", "mode", mode.word(), "reason", e.reason().word(), "error", e.getMessage());
            return Outcome.FAILED;
        } catch (IOException | RuntimeException e) {
            log.event("-", "tls", "renewal-failed", "mode", mode.word(), "reason", "local", "error", String.valueOf(e.getMessage()));
            return Outcome.FAILED;
        }
        CertificateInfo now = CertificateInfo.of(tls.certificate());
        log.event("-", "tls", "renewed", "mode", mode.word(), "serial", now.serial(), "issuer", now.issuer(),
                "not_after", now.notAfter(), "names", String.join(",", now.names()));
        return Outcome.RENEWED;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.event("-", "tls", "renewal-failed", "reason", "local", "error", String.valueOf(e));
        }
    }

    private void watch() {
        try {
            if (tls.reloadIfChanged()) {
                CertificateInfo now = CertificateInfo.of(tls.certificate());
                log.event("-", "tls", "reloaded", "serial", now.serial(), "issuer", now.issuer(), "not_after", now.notAfter());
            }
        } catch (IOException | RuntimeException e) {
            // Half-replaced files (the key renamed, the chain not yet) or a bad pair: keep the one in use, say so once.
            String msg = String.valueOf(e.getMessage());
            if (!msg.equals(lastWatchError)) {
                log.event("-", "tls", "reload-failed", "error", msg);
                lastWatchError = msg;
            }
            return;
        }
        lastWatchError = null;
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
    }
}
