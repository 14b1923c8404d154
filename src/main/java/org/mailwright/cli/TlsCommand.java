package org.mailwright.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mailwright.admin.Admin;
import org.mailwright.admin.Results;
import org.mailwright.tls.CertificateRenewal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tls", mixinStandardHelpOptions = true, description = "Manage the TLS certificate.",
        subcommands = {TlsCommand.StatusCmd.class, TlsCommand.AcmeCmd.class, TlsCommand.ImportCmd.class,
                TlsCommand.SelfSignedCmd.class})
public final class TlsCommand {

    static void print(Results.Certificate info) {
        System.out.println("  subject:   " + info.subject());
        System.out.println("  names:     " + String.join(", ", info.names()));
        System.out.println("  issuer:    " + info.issuer() + (info.selfSigned() ? " (self-signed)" : ""));
        System.out.println("  not after: " + info.notAfter());
        System.out.println("  days left: " + info.daysLeft());
        System.out.println("  key type:  " + info.keyType());
        System.out.println("  serial:    " + info.serial());
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the certificate in use: subject, names, issuer, expiry, days left, key type.")
    static final class StatusCmd implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Option(names = "--json", description = "One JSON object: mode, cert_file, certificate {subject, names, not_after, days_left …}, warnings")
        boolean json;

        @Override
        public Integer call() {
            Results.TlsStatus s = remote.ask(Admin::tlsStatus);
            if (json) {
                Json.print(s);
                return 0;
            }
            System.out.println("mode: " + s.mode() + (s.acmeDirectory() != null ? " (" + s.acmeDirectory() + ")" : ""));
            if (s.certificate() == null) {
                s.notes().forEach(System.out::println);
                return 0;
            }
            System.out.println("certificate: " + s.certFile() + " (" + s.chainLength()
                    + (s.chainLength() == 1 ? " certificate)" : " certificates in the chain)"));
            print(s.certificate());
            s.warnings().forEach(w -> System.out.println("  warning:   " + w));
            s.notes().forEach(n -> System.out.println("  note:      " + n));
            return 0;
        }
    }

    @Command(name = "acme", mixinStandardHelpOptions = true,
            description = {"Get a certificate from Let's Encrypt (or another ACME CA) with the HTTP-01 challenge.",
                    "Mailwright answers the challenge itself on port 80 (or --http-port) while the order runs.",
                    "The options are saved in mailwright.conf; the running engine renews from then on."})
    static final class AcmeCmd implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Option(names = "--directory", paramLabel = "URL",
                description = "letsencrypt, letsencrypt-staging or the https URL of an ACME directory (default: from mailwright.conf)")
        String directory;
        @Option(names = "--email", paramLabel = "E", description = "Contact address for the ACME account (expiry notices)")
        String email;
        @Option(names = "--http-port", paramLabel = "N", description = "Port the challenge responder listens on (default: 80)")
        Integer httpPort;
        @Option(names = "--trust", paramLabel = "PEM", description = "Also trust this CA for the ACME server's own HTTPS (test CAs)")
        Path trust;
        @Option(names = "--json", description = "The new certificate as JSON (the order's steps go to stderr)") boolean json;

        @Override
        public Integer call() {
            // With --json, stdout is the answer alone; the steps go to stderr (RemoteAdmin relays them).
            Results.TlsInstalled done = remote.ask(admin -> admin.tlsAcme(new Results.AcmeOptions(directory, email, httpPort, trust),
                    step -> (json ? System.err : System.out).println(step)));
            if (json) {
                Json.print(done);
                return 0;
            }
            System.out.println("Wrote " + done.certFile() + " and " + done.keyFile() + ":");
            print(done.certificate());
            System.out.println("A running engine uses it for new connections within seconds, and renews it "
                    + CertificateRenewal.RENEW_BEFORE_DAYS + " days before it expires.");
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Use a certificate obtained elsewhere: checks that the key matches, the chain order,",
                    "the hostname and the expiry, then copies both files into DATA/tls (key mode 0600).",
                    "With --remote the two local files are sent to the server and checked there."})
    static final class ImportCmd implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Option(names = "--cert", required = true, paramLabel = "F", description = "Certificate chain (PEM), leaf first")
        Path cert;
        @Option(names = "--key", required = true, paramLabel = "F", description = "Its private key (PEM, not encrypted)")
        Path key;
        @Option(names = "--json", description = "The imported certificate as JSON") boolean json;

        @Override
        public Integer call() {
            Results.TlsInstalled done = remote.ask(admin -> admin.tlsImport(cert, key));
            if (json) {
                Json.print(done);
                return 0;
            }
            System.out.println("Imported into " + done.certFile() + " and " + done.keyFile() + ":");
            print(done.certificate());
            for (String note : done.notes()) System.out.println("  note:      " + note);
            System.out.println("A running engine uses it for new connections within seconds.");
            return 0;
        }
    }

    @Command(name = "self-signed", mixinStandardHelpOptions = true,
            description = "Create a self-signed certificate for the hostname (DATA/tls/fullchain.pem, privkey.pem).")
    static final class SelfSignedCmd implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Option(names = "--days", paramLabel = "N", description = "Validity in days (default: ${DEFAULT-VALUE})")
        int days = 365;
        @Option(names = "--json", description = "The new certificate as JSON") boolean json;

        @Override
        public Integer call() {
            Results.TlsInstalled done = remote.ask(admin -> admin.tlsSelfSigned(days));
            if (json) {
                Json.print(done);
                return 0;
            }
            System.out.println("Wrote a self-signed certificate for " + String.join(", ", done.certificate().names()) + " to " + done.certFile());
            return 0;
        }
    }
}
