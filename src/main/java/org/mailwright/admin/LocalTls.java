package org.mailwright.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import org.mailwright.config.ConfigEdit;
import org.mailwright.config.ConfigWriter;
import org.mailwright.io.DurableFiles;
import org.mailwright.log.Maillog;
import org.mailwright.tls.AcmeClient;
import org.mailwright.tls.AcmeFailure;
import org.mailwright.tls.CertificateFiles;
import org.mailwright.tls.CertificateImport;
import org.mailwright.tls.CertificateInfo;
import org.mailwright.tls.CertificateRenewal;
import org.mailwright.tls.Pem;
import org.mailwright.tls.SelfSigned;

/**
 * The certificate operations on a local data directory. They only write the files (atomically, key 0600): a
 * running engine's {@link CertificateRenewal} notices changed files within {@link CertificateRenewal#WATCH_EVERY}
 * and serves the new certificate from the next handshake on.
 */
final class LocalTls {
    private final Path data;
    private final Clock clock;

    LocalTls(Path data, Clock clock) {
        this.data = data;
        this.clock = clock;
    }

    /** The configuration without requiring the certificate files to exist (these operations create them). */
    Config config() {
        try {
            return ConfigLoader.parse(Files.readString(data.resolve(ConfigLoader.FILE_NAME)), null);
        } catch (NoSuchFileException e) {
            throw new AdminException("no mailwright.conf in " + data + " — run `mailwright init --hostname mail.example.org` first");
        } catch (IOException e) {
            throw new AdminException("cannot read " + data.resolve(ConfigLoader.FILE_NAME) + ": " + e.getMessage() + " — check its permissions");
        } catch (ConfigException e) {
            throw new AdminException(e.getMessage().replace("\n", "; "));
        }
    }

    static Results.Certificate summary(CertificateInfo info, Clock clock) {
        return new Results.Certificate(info.subject(), info.names(), info.issuer(), info.selfSigned(), info.notAfter().toString(),
                info.daysLeft(clock), info.keyType(), info.serial());
    }

    /** The certificate in use, or empty when there is none (TLS off, no file yet, unreadable). */
    static Optional<Results.Certificate> current(Path data, Config c, Clock clock) {
        if (c.tls().mode() == Config.TlsMode.NONE) return Optional.empty();
        try {
            List<X509Certificate> chain = Pem.readCertificates(c.tls().certPath(data));
            return chain.isEmpty() ? Optional.empty() : Optional.of(summary(CertificateInfo.of(chain.get(0)), clock));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Results.TlsStatus status() {
        Config c = config();
        Config.Tls t = c.tls();
        Path certFile = t.certPath(data);
        String directory = t.mode() == Config.TlsMode.ACME ? t.acmeDirectory() : null;
        if (t.mode() == Config.TlsMode.NONE) {
            return new Results.TlsStatus(t.mode().word(), null, null, 0, null, List.of(), List.of("TLS is off: listeners speak plain SMTP only."));
        }
        if (!Files.exists(certFile)) {
            throw new AdminException("no certificate at " + certFile + " — run `mailwright tls acme`, `tls self-signed` or `tls import --cert F --key F`");
        }
        List<X509Certificate> chain;
        try {
            chain = Pem.readCertificates(certFile);
        } catch (IOException e) {
            throw new AdminException(certFile + ": " + e.getMessage() + " — replace it with `mailwright tls self-signed` or `tls import`");
        }
        CertificateInfo info = CertificateInfo.of(chain.get(0));
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String name : CertificateRenewal.names(c)) {
            if (!info.covers(name)) warnings.add("does not cover " + name);
        }
        if (info.expired(clock)) {
            warnings.add("EXPIRED — peers will refuse it; renew with `mailwright tls acme` or import a new one");
        } else if (info.daysLeft(clock) < CertificateRenewal.RENEW_BEFORE_DAYS) {
            notes.add("fewer than " + CertificateRenewal.RENEW_BEFORE_DAYS + " days left"
                    + (t.mode() == Config.TlsMode.FILES ? " — import a new certificate" : " — the running engine renews it"));
        }
        return new Results.TlsStatus(t.mode().word(), directory, certFile.toString(), chain.size(), summary(info, clock), warnings, notes);
    }

    Results.TlsInstalled selfSigned(int days) {
        if (days < 1) throw new AdminException("--days " + days + " is not a validity — give a number of days, e.g. 365");
        Config c = config();
        Config.Tls t = c.tls();
        List<String> names = CertificateRenewal.names(c);
        try {
            DurableFiles.createPrivateDirectory(data.resolve("tls"));
            SelfSigned.create(names, Duration.ofDays(days), t.certPath(data), t.keyPath(data));
            // Imported files were the user's; a self-signed one the engine may renew. In acme mode it stays a
            // placeholder that the engine replaces with a real certificate at its next check.
            if (t.mode() == Config.TlsMode.FILES) save(c.withTls(t.withMode(Config.TlsMode.SELF_SIGNED)));
            log("self-signed", "names", String.join(",", names), "days", days);
            CertificateInfo info = CertificateInfo.of(Pem.readCertificates(t.certPath(data)).get(0));
            return new Results.TlsInstalled(t.certPath(data).toString(), t.keyPath(data).toString(), summary(info, clock), List.of());
        } catch (Exception e) {
            throw failed("cannot write the self-signed certificate", e);
        }
    }

    Results.TlsInstalled importFiles(Path cert, Path key) {
        Config c = config();
        for (Path p : List.of(cert, key)) {
            if (!Files.isReadable(p)) throw new AdminException(p + " cannot be read — check the path and its permissions");
        }
        CertificateImport.Checked checked;
        try {
            checked = CertificateImport.check(cert, key, CertificateRenewal.names(c), clock);
        } catch (IOException e) {
            throw new AdminException(e.getMessage() + " (nothing was changed)");
        }
        Config.Tls t = c.tls();
        try {
            DurableFiles.createPrivateDirectory(data.resolve("tls"));
            new CertificateFiles(t.certPath(data), t.keyPath(data)).install(checked.chain(), checked.key());
            // Imported files are the user's to renew: the engine must not replace them with ACME or self-signed ones.
            if (t.mode() != Config.TlsMode.FILES) save(c.withTls(t.withMode(Config.TlsMode.FILES)));
        } catch (IOException e) {
            throw failed("cannot install the certificate", e);
        }
        log("imported", "serial", checked.leaf().serial(), "issuer", checked.leaf().issuer(),
                "not_after", checked.leaf().notAfter(), "names", String.join(",", checked.leaf().names()));
        return new Results.TlsInstalled(t.certPath(data).toString(), t.keyPath(data).toString(), summary(checked.leaf(), clock), checked.notes());
    }

    Results.TlsInstalled acme(Results.AcmeOptions o, Consumer<String> progress) {
        Config c = config();
        Config.Tls t = c.tls();
        // The CA to trust is kept in the data directory (after success): renewals need it after this command.
        Path keptTrust = data.resolve("tls").resolve("acme-trust.pem");
        byte[] trustPem = null;
        try {
            if (o.trust() != null) {
                if (!Files.isReadable(o.trust())) throw new AdminException("--trust " + o.trust() + " cannot be read — pass a PEM file of the CA");
                try {
                    Pem.readCertificates(o.trust());
                } catch (IOException e) {
                    throw new AdminException("--trust " + o.trust() + ": " + e.getMessage());
                }
                trustPem = Files.readAllBytes(o.trust());
            }
            Config.Tls wanted = t.withMode(Config.TlsMode.ACME)
                    .withAcmeDirectory(o.directory() != null ? o.directory() : t.acmeDirectory())
                    .withAcmeEmail(o.email() != null ? o.email() : t.acmeEmail())
                    .withAcmeHttpPort(o.httpPort() != null ? o.httpPort() : t.acmeHttpPort())
                    .withAcmeTrust(o.trust() != null ? data.relativize(keptTrust).toString() : t.acmeTrust());
            if (wanted.acmeHttpPort() < 1 || wanted.acmeHttpPort() > 65535) {
                throw new AdminException("--http-port " + wanted.acmeHttpPort() + " is not a port — use 80, or the port that port 80 is forwarded to");
            }
            Config next = c.withTls(wanted);
            AcmeClient.Request base = CertificateRenewal.acmeRequest(data, next);
            AcmeClient.Request request = o.trust() == null ? base : new AcmeClient.Request(base.directory(), base.email(),
                    base.names(), base.httpPort(), base.bindAddresses(), Optional.of(o.trust()), base.publicIp());
            DurableFiles.createPrivateDirectory(data.resolve("tls"));
            log("acme-start", "names", String.join(",", request.names()), "directory", wanted.acmeDirectory());
            AcmeClient.Issued issued;
            try {
                issued = new AcmeClient(CertificateRenewal.accountKeyFile(data), progress::accept).obtain(request);
            } catch (AcmeFailure e) {
                log("acme-failed", "reason", e.reason().word(), "error", e.getMessage());
                throw new AdminException(e.getMessage() + (Files.exists(t.certPath(data)) ? " (the certificate in use is unchanged)" : ""));
            }
            new CertificateFiles(wanted.certPath(data), wanted.keyPath(data)).install(issued.chain(), issued.key());
            if (trustPem != null) DurableFiles.write(keptTrust, trustPem, false);
            CertificateInfo info = CertificateInfo.of(issued.chain().get(0));
            log("acme-obtained", "serial", info.serial(), "issuer", info.issuer(), "not_after", info.notAfter(),
                    "names", String.join(",", info.names()));
            if (!next.tls().equals(t)) save(next);
            return new Results.TlsInstalled(wanted.certPath(data).toString(), wanted.keyPath(data).toString(), summary(info, clock),
                    List.of("renewed " + CertificateRenewal.RENEW_BEFORE_DAYS + " days before it expires by the running engine"));
        } catch (IOException e) {
            throw failed("the ACME order failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("the ACME order was interrupted — the certificate in use is unchanged");
        }
    }

    /** Writes the changed configuration, after checking that it reads back. */
    private void save(Config changed) throws IOException {
        try {
            ConfigLoader.parse(ConfigWriter.toToml(changed), null);
        } catch (ConfigException e) {
            throw new AdminException("the changed configuration would not load: " + e.getMessage().replace("\n", "; "));
        }
        try {
            ConfigEdit.saveChanges(data, changed); // only the keys that changed: the user's comments stay
        } catch (ConfigException e) {
            throw new AdminException("the changed configuration could not be written: " + e.getMessage().replace("\n", "; "));
        }
    }

    /** One line in the maillog, so the GUI and `grep tls maillog` see what was done. */
    private void log(String event, Object... fields) {
        try (Maillog log = Maillog.open(data)) {
            log.event("-", "tls", event, fields);
        } catch (IOException e) {
            org.mailwright.log.Stderr.warn("cannot write the maillog: " + e.getMessage());
        }
    }

    private static AdminException failed(String what, Exception e) {
        if (e instanceof AdminException a) return a;
        return new AdminException(what + ": " + e.getMessage() + " — check the permissions of DATA/tls", e);
    }
}
