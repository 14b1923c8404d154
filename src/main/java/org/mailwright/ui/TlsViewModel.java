package org.mailwright.ui;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.mailwright.Engine;
import org.mailwright.admin.Admin;
import org.mailwright.admin.Results;

/** TLS: the certificate's status, a new self-signed one, Let's Encrypt, or your own files; listeners reload live. */
public final class TlsViewModel {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final AppContext context;
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty mode = new SimpleStringProperty("");
    private final StringProperty progress = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    /** The Let's Encrypt button: "Get a certificate", or "Renew now" on one Let's Encrypt (ACME) issued. */
    private final StringProperty acmeAction = new SimpleStringProperty(acmeAction(null, ""));
    private final AcmeSteps acmeSteps = new AcmeSteps();

    public TlsViewModel(AppContext context) {
        this.context = context;
        context.adminProperty().addListener((o, was, now) -> {
            progress.set("");
            acmeSteps.clear();
            refresh();
        });
    }

    /** The status line: {@code tls status} of the engine the window acts on (here or the connected server). */
    public void refresh() {
        Admin admin = context.admin();
        context.work().run("Reading the certificate", () -> {
            Results.TlsStatus s = admin.tlsStatus();
            return new String[] {describe(s), s.mode(), acmeAction(s.certificate(), s.mode())};
        }, r -> {
            if (admin != context.admin()) return;
            status.set(r[0]);
            mode.set(r[1]);
            acmeAction.set(r[2]);
        }, failed -> {
            if (admin == context.admin()) status.set(failed);
        });
    }

    static String describe(Results.TlsStatus s) {
        Results.Certificate c = s.certificate();
        List<String> lines = new ArrayList<>();
        if (c == null) {
            lines.add("none".equals(s.mode()) ? "TLS is off." : "No certificate yet.");
        } else {
            lines.add("Names:       " + (c.names().isEmpty() ? c.subject() : String.join(", ", c.names())));
            lines.add("Issuer:      " + c.issuer() + (c.selfSigned() ? "  (self-signed)" : ""));
            lines.add("Valid until: " + day(c.notAfter()));
            lines.add("Days left:   " + c.daysLeft());
        }
        if (s.warnings() != null) s.warnings().forEach(w -> lines.add("Warning:     " + w));
        return String.join("\n", lines);
    }

    /** What the Let's Encrypt button says for the certificate in use: renewing only makes sense for an ACME one. */
    static String acmeAction(Results.Certificate c, String mode) {
        return c != null && !c.selfSigned() && "acme".equals(mode) ? "_Renew now" : "_Get a certificate";
    }

    static String day(String instant) {
        try {
            return DAY.format(Instant.parse(instant));
        } catch (RuntimeException e) {
            return instant;
        }
    }

    /** A new self-signed certificate, made by the engine's admin layer (here or on the server). */
    public void selfSigned() {
        Admin admin = context.admin();
        boolean remote = context.remote();
        run(remote ? "Making a self-signed certificate on the server" : "Making a self-signed certificate", () -> {
            admin.tlsSelfSigned(365);
            reloadHere(remote);
            return remote ? "A new self-signed certificate is in use on the server (served from the next connection)."
                    : "A new self-signed certificate is in use.";
        });
    }

    /**
     * Let's Encrypt, run where the engine is (on the server when connected: port 80 is there), each step of the
     * order shown as it happens.
     */
    public void acme(boolean staging) {
        Admin admin = context.admin();
        boolean remote = context.remote();
        acmeSteps.start();
        run(remote ? "Let's Encrypt on the server" : "Let's Encrypt", () -> {
            admin.tlsAcme(new Results.AcmeOptions(staging ? "letsencrypt-staging" : null, null, null, null),
                    step -> {
                        if (step.isBlank()) return; // the CLI's spacing between steps
                        javafx.application.Platform.runLater(() -> {
                            if (admin != context.admin()) return;
                            progress.set(step);
                            acmeSteps.heard(step);
                        });
                    });
            reloadHere(remote);
            return remote ? "Let's Encrypt issued a certificate; the server uses it." : "Let's Encrypt issued a certificate.";
        }, () -> acmeSteps.installed(remote ? "in use on the server" : "in use"), acmeSteps::failed);
    }

    /** Your own files, with every check of {@code tls import} (key matches, chain order, names, expiry). */
    public void importFiles(Path cert, Path key) {
        Admin admin = context.admin();
        boolean remote = context.remote();
        run(remote ? "Installing the certificate on the server" : "Importing the certificate", () -> {
            admin.tlsImport(cert, key); // remote: the files are sent over SSH and checked there
            reloadHere(remote);
            return remote ? "Your certificate is in use on the server." : "Your certificate is in use.";
        });
    }

    /** The engine in this process serves the new files from the next connection (it would within seconds anyway). */
    private void reloadHere(boolean remote) throws Exception {
        if (remote) return;
        Engine running = context.engine().engine();
        if (running != null && running.tls().isPresent()) running.tls().get().reload();
    }

    private void run(String what, java.util.concurrent.Callable<String> work) {
        acmeSteps.clear();
        run(what, work, () -> { }, failed -> failed);
    }

    /** {@code worked} and {@code failure} (which words the failure) run on the FX thread after the work. */
    private void run(String what, java.util.concurrent.Callable<String> work, Runnable worked,
                     java.util.function.UnaryOperator<String> failure) {
        busy.set(true);
        progress.set(what + "…");
        context.work().run(what, work, done -> {
            busy.set(false);
            worked.run();
            progress.set(done);
            refresh();
        }, failed -> {
            busy.set(false);
            progress.set(failure.apply(failed));
        });
    }

    public StringProperty statusProperty() { return status; }
    public StringProperty modeProperty() { return mode; }
    public StringProperty progressProperty() { return progress; }
    public BooleanProperty busyProperty() { return busy; }
    public StringProperty acmeActionProperty() { return acmeAction; }
    AcmeSteps acmeSteps() { return acmeSteps; }
}
