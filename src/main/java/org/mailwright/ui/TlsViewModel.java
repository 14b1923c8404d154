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
import org.mailwright.admin.Results;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigWriter;
import org.mailwright.io.DurableFiles;
import org.mailwright.tls.Pem;

/** TLS: the certificate's status, a new self-signed one, Let's Encrypt, or your own files; listeners reload live. */
public final class TlsViewModel {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final AppContext context;
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty mode = new SimpleStringProperty("");
    private final StringProperty progress = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();

    public TlsViewModel(AppContext context) {
        this.context = context;
        context.adminProperty().addListener((o, was, now) -> {
            progress.set("");
            refresh();
        });
    }

    /** The status line: {@code tls status} of the engine the window acts on (here or the connected server). */
    public void refresh() {
        org.mailwright.admin.Admin admin = context.admin();
        context.work().run("Reading the certificate", () -> {
            Results.TlsStatus s = admin.tlsStatus();
            return new String[] {describe(s), s.mode()};
        }, r -> {
            if (admin != context.admin()) return;
            status.set(r[0]);
            mode.set(r[1]);
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

    static String day(String instant) {
        try {
            return DAY.format(Instant.parse(instant));
        } catch (RuntimeException e) {
            return instant;
        }
    }

    public void selfSigned() {
        if (context.remote()) {
            org.mailwright.admin.Admin admin = context.admin();
            run("Making a self-signed certificate on the server", () -> {
                admin.tlsSelfSigned(365);
                return "A new self-signed certificate is in use on the server (served from the next connection).";
            });
            return;
        }
        run("Making a self-signed certificate", () -> {
            Config c = context.config();
            context.certificates().selfSigned(c, context.dataDir());
            saveMode(c, Config.TlsMode.SELF_SIGNED);
            return "A new self-signed certificate is in use.";
        });
    }

    public void acme(boolean staging) {
        if (context.remote()) {
            progress.set("Let's Encrypt from the app runs on this computer only for now: on the server use `mailwright tls acme`.");
            return;
        }
        run("Let's Encrypt", () -> {
            Config c = context.config();
            context.certificates().acme(c, context.dataDir(), staging,
                    step -> javafx.application.Platform.runLater(() -> progress.set(step)));
            saveMode(c, Config.TlsMode.ACME);
            return "Let's Encrypt issued a certificate.";
        });
    }

    public void importFiles(Path cert, Path key) {
        if (context.remote()) {
            org.mailwright.admin.Admin admin = context.admin();
            run("Installing the certificate on the server", () -> {
                admin.tlsImport(cert, key); // with every check of `tls import`; the files are sent over SSH
                return "Your certificate is in use on the server.";
            });
            return;
        }
        run("Importing the certificate", () -> {
            Pem.readCertificates(cert);
            Pem.readPrivateKey(key);
            Config c = context.config();
            DurableFiles.write(c.tls().certPath(context.dataDir()), java.nio.file.Files.readAllBytes(cert), false);
            DurableFiles.write(c.tls().keyPath(context.dataDir()), java.nio.file.Files.readAllBytes(key), true);
            saveMode(c, Config.TlsMode.FILES);
            return "Your certificate is in use.";
        });
    }

    private void saveMode(Config c, Config.TlsMode m) throws Exception {
        if (c.tls().mode() != m) {
            ConfigWriter.save(c.withTls(c.tls().withMode(m)), context.dataDir());
        }
        Engine running = context.engine().engine();
        if (running != null && running.tls().isPresent()) running.tls().get().reload(); // new connections get it at once
    }

    private void run(String what, java.util.concurrent.Callable<String> work) {
        busy.set(true);
        progress.set(what + "…");
        context.work().run(what, work, done -> {
            busy.set(false);
            progress.set(done);
            refresh();
        }, failed -> {
            busy.set(false);
            progress.set(failed);
        });
    }

    public StringProperty statusProperty() { return status; }
    public StringProperty modeProperty() { return mode; }
    public StringProperty progressProperty() { return progress; }
    public BooleanProperty busyProperty() { return busy; }
}
