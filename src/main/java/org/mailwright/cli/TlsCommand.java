package org.mailwright.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tls", mixinStandardHelpOptions = true, description = "Manage the TLS certificate.",
        subcommands = {TlsCommand.StatusCmd.class, TlsCommand.AcmeCmd.class, TlsCommand.ImportCmd.class,
                TlsCommand.SelfSignedCmd.class})
public final class TlsCommand {

    /** The configuration without requiring the certificate files to exist (these commands create them). */
    static Config config() {
        Path data = DataDir.path();
        try {
            return ConfigLoader.parse(Files.readString(data.resolve(ConfigLoader.FILE_NAME)), null);
        } catch (NoSuchFileException e) {
            throw new Failure("no mailwright.conf in " + data + " — run `mailwright init --hostname mail.example.org` first");
        } catch (IOException e) {
            throw new Failure("cannot read " + data.resolve(ConfigLoader.FILE_NAME) + ": " + e.getMessage() + " — check its permissions");
        } catch (ConfigException e) {
            throw new Failure(e.getMessage().replace("\n", "; "));
        }
    }

    static Config withTls(Config c, Config.Tls t) {
        return c.withTls(t);
    }

    static Config.Tls withMode(Config.Tls t, Config.TlsMode mode) {
        return t.withMode(mode);
    }

    /** Writes the changed configuration, after checking that it reads back. */
    static void save(Config changed) throws IOException {
        try {
            ConfigLoader.parse(ConfigWriter.toToml(changed), null);
        } catch (ConfigException e) {
            throw new Failure("the changed configuration would not load: " + e.getMessage().replace("\n", "; "));
        }
        ConfigWriter.save(changed, DataDir.path());
    }

    /** One line in the maillog, so the GUI and `grep tls maillog` see what the command did. */
    static void log(String event, Object... fields) {
        try (Maillog log = Maillog.open(DataDir.path())) {
            log.event("-", "tls", event, fields);
        } catch (IOException e) {
            System.err.println("mailwright: cannot write the maillog: " + e.getMessage());
        }
    }

    static void print(CertificateInfo info, Clock clock) {
        System.out.println("  subject:   " + info.subject());
        System.out.println("  names:     " + String.join(", ", info.names()));
        System.out.println("  issuer:    " + info.issuer() + (info.selfSigned() ? " (self-signed)" : ""));
        System.out.println("  not after: " + info.notAfter());
        System.out.println("  days left: " + info.daysLeft(clock));
        System.out.println("  key type:  " + info.keyType());
        System.out.println("  serial:    " + info.serial());
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the certificate in use: subject, names, issuer, expiry, days left, key type.")
    static final class StatusCmd implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            Config c = config();
            Path data = DataDir.path();
            Config.Tls t = c.tls();
            Path certFile = t.certPath(data);
            System.out.println("mode: " + t.mode().word() + (t.mode() == Config.TlsMode.ACME ? " (" + t.acmeDirectory() + ")" : ""));
            if (t.mode() == Config.TlsMode.NONE) {
                System.out.println("TLS is off: listeners speak plain SMTP only.");
                return 0;
            }
            if (!Files.exists(certFile)) {
                throw new Failure("no certificate at " + certFile + " — run `mailwright tls acme`, `tls self-signed` or `tls import --cert F --key F`");
            }
            List<java.security.cert.X509Certificate> chain = Pem.readCertificates(certFile);
            Clock clock = Clock.systemUTC();
            CertificateInfo info = CertificateInfo.of(chain.get(0));
            System.out.println("certificate: " + certFile + " (" + chain.size() + (chain.size() == 1 ? " certificate)" : " certificates in the chain)"));
            print(info, clock);
            for (String name : CertificateRenewal.names(c)) {
                if (!info.covers(name)) System.out.println("  warning:   does not cover " + name);
            }
            if (info.expired(clock)) {
                System.out.println("  warning:   EXPIRED — peers will refuse it; renew with `mailwright tls acme` or import a new one");
            } else if (info.daysLeft(clock) < CertificateRenewal.RENEW_BEFORE_DAYS) {
                System.out.println("  note:      fewer than " + CertificateRenewal.RENEW_BEFORE_DAYS + " days left"
                        + (t.mode() == Config.TlsMode.FILES ? " — import a new certificate" : " — the running engine renews it"));
            }
            return 0;
        }
    }

    @Command(name = "acme", mixinStandardHelpOptions = true,
            description = {"Get a certificate from Let's Encrypt (or another ACME CA) with the HTTP-01 challenge.",
                    "Mailwright answers the challenge itself on port 80 (or --http-port) while the order runs.",
                    "The options are saved in mailwright.conf; the running engine renews from then on."})
    static final class AcmeCmd implements Callable<Integer> {
        @Option(names = "--directory", paramLabel = "URL",
                description = "letsencrypt, letsencrypt-staging or the https URL of an ACME directory (default: from mailwright.conf)")
        String directory;
        @Option(names = "--email", paramLabel = "E", description = "Contact address for the ACME account (expiry notices)")
        String email;
        @Option(names = "--http-port", paramLabel = "N", description = "Port the challenge responder listens on (default: 80)")
        Integer httpPort;
        @Option(names = "--trust", paramLabel = "PEM", description = "Also trust this CA for the ACME server's own HTTPS (test CAs)")
        Path trust;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Path data = DataDir.path();
            Config c = config();
            Config.Tls t = c.tls();
            // The CA to trust is kept in the data directory (after success): renewals need it after this command.
            Path keptTrust = data.resolve("tls").resolve("acme-trust.pem");
            byte[] trustPem = null;
            if (trust != null) {
                if (!Files.isReadable(trust)) throw new Failure("--trust " + trust + " cannot be read — pass a PEM file of the CA");
                try {
                    Pem.readCertificates(trust);
                } catch (IOException e) {
                    throw new Failure("--trust " + trust + ": " + e.getMessage());
                }
                trustPem = Files.readAllBytes(trust);
            }
            Config.Tls wanted = t.withMode(Config.TlsMode.ACME)
                    .withAcmeDirectory(directory != null ? directory : t.acmeDirectory())
                    .withAcmeEmail(email != null ? email : t.acmeEmail())
                    .withAcmeHttpPort(httpPort != null ? httpPort : t.acmeHttpPort())
                    .withAcmeTrust(trust != null ? data.relativize(keptTrust).toString() : t.acmeTrust());
            if (wanted.acmeHttpPort() < 1 || wanted.acmeHttpPort() > 65535) {
                throw new Failure("--http-port " + wanted.acmeHttpPort() + " is not a port — use 80, or the port that port 80 is forwarded to");
            }
            Config next = withTls(c, wanted);
            AcmeClient.Request base = CertificateRenewal.acmeRequest(data, next);
            AcmeClient.Request request = trust == null ? base : new AcmeClient.Request(base.directory(), base.email(),
                    base.names(), base.httpPort(), base.bindAddresses(), java.util.Optional.of(trust), base.publicIp());
            DurableFiles.createPrivateDirectory(data.resolve("tls"));
            log("acme-start", "names", String.join(",", request.names()), "directory", wanted.acmeDirectory());
            AcmeClient.Issued issued;
            try {
                issued = new AcmeClient(CertificateRenewal.accountKeyFile(data), step -> System.out.println(step)).obtain(request);
            } catch (AcmeFailure e) {
                log("acme-failed", "reason", e.reason().word(), "error", e.getMessage());
                throw new Failure(e.getMessage() + (Files.exists(t.certPath(data)) ? " (the certificate in use is unchanged)" : ""));
            }
            new CertificateFiles(wanted.certPath(data), wanted.keyPath(data)).install(issued.chain(), issued.key());
            if (trustPem != null) DurableFiles.write(keptTrust, trustPem, false);
            CertificateInfo info = CertificateInfo.of(issued.chain().get(0));
            log("acme-obtained", "serial", info.serial(), "issuer", info.issuer(), "not_after", info.notAfter(),
                    "names", String.join(",", info.names()));
            if (!next.tls().equals(t)) save(next);
            System.out.println("Wrote " + wanted.certPath(data) + " and " + wanted.keyPath(data) + ":");
            print(info, Clock.systemUTC());
            System.out.println("A running engine uses it for new connections within seconds, and renews it "
                    + CertificateRenewal.RENEW_BEFORE_DAYS + " days before it expires.");
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Use a certificate obtained elsewhere: checks that the key matches, the chain order,",
                    "the hostname and the expiry, then copies both files into DATA/tls (key mode 0600)."})
    static final class ImportCmd implements Callable<Integer> {
        @Option(names = "--cert", required = true, paramLabel = "F", description = "Certificate chain (PEM), leaf first")
        Path cert;
        @Option(names = "--key", required = true, paramLabel = "F", description = "Its private key (PEM, not encrypted)")
        Path key;

        @Override
        public Integer call() throws IOException {
            Path data = DataDir.path();
            Config c = config();
            for (Path p : List.of(cert, key)) {
                if (!Files.isReadable(p)) throw new Failure(p + " cannot be read — check the path and its permissions");
            }
            CertificateImport.Checked checked;
            try {
                checked = CertificateImport.check(cert, key, CertificateRenewal.names(c), Clock.systemUTC());
            } catch (IOException e) {
                throw new Failure(e.getMessage() + " (nothing was changed)");
            }
            Config.Tls t = c.tls();
            DurableFiles.createPrivateDirectory(data.resolve("tls"));
            new CertificateFiles(t.certPath(data), t.keyPath(data)).install(checked.chain(), checked.key());
            // Imported files are the user's to renew: the engine must not replace them with ACME or self-signed ones.
            if (t.mode() != Config.TlsMode.FILES) save(withTls(c, withMode(t, Config.TlsMode.FILES)));
            log("imported", "serial", checked.leaf().serial(), "issuer", checked.leaf().issuer(),
                    "not_after", checked.leaf().notAfter(), "names", String.join(",", checked.leaf().names()));
            System.out.println("Imported into " + t.certPath(data) + " and " + t.keyPath(data) + ":");
            print(checked.leaf(), Clock.systemUTC());
            for (String note : checked.notes()) System.out.println("  note:      " + note);
            System.out.println("A running engine uses it for new connections within seconds.");
            return 0;
        }
    }

    @Command(name = "self-signed", mixinStandardHelpOptions = true,
            description = "Create a self-signed certificate for the hostname (DATA/tls/fullchain.pem, privkey.pem).")
    static final class SelfSignedCmd implements Callable<Integer> {
        @Option(names = "--days", paramLabel = "N", description = "Validity in days (default: ${DEFAULT-VALUE})")
        int days = 365;

        @Override
        public Integer call() throws Exception {
            Path data = DataDir.path();
            Config c = config();
            Config.Tls t = c.tls();
            List<String> names = CertificateRenewal.names(c);
            DurableFiles.createPrivateDirectory(data.resolve("tls"));
            SelfSigned.create(names, Duration.ofDays(days), t.certPath(data), t.keyPath(data));
            // Imported files were the user's; a self-signed one the engine may renew. In acme mode it stays a
            // placeholder that the engine replaces with a real certificate at its next check.
            if (t.mode() == Config.TlsMode.FILES) save(withTls(c, withMode(t, Config.TlsMode.SELF_SIGNED)));
            log("self-signed", "names", String.join(",", names), "days", days);
            System.out.println("Wrote a self-signed certificate for " + String.join(", ", names) + " to " + t.certPath(data));
            return 0;
        }
    }
}
