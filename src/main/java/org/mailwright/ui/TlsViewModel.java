package org.mailwright.ui;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.mailwright.Engine;
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
    }

    public void refresh() {
        context.work().run("Reading the certificate", () -> {
            Config c = context.config();
            String text = context.certificates().current(c, context.dataDir()).map(i -> String.join("\n",
                    "Names:       " + (i.names().isEmpty() ? i.subject() : String.join(", ", i.names())),
                    "Issuer:      " + i.issuer() + (i.selfSigned() ? "  (self-signed)" : ""),
                    "Valid:       " + DAY.format(i.notBefore()) + " to " + DAY.format(i.notAfter()),
                    "Days left:   " + i.daysLeft(Instant.now()))).orElse("No certificate yet.");
            return new String[] {text, c.tls().mode().word()};
        }, r -> {
            status.set(r[0]);
            mode.set(r[1]);
        }, failed -> status.set(failed));
    }

    public void selfSigned() {
        run("Making a self-signed certificate", () -> {
            Config c = context.config();
            context.certificates().selfSigned(c, context.dataDir());
            saveMode(c, Config.TlsMode.SELF_SIGNED);
            return "A new self-signed certificate is in use.";
        });
    }

    public void acme(boolean staging) {
        run("Let's Encrypt", () -> {
            Config c = context.config();
            context.certificates().acme(c, context.dataDir(), staging,
                    step -> javafx.application.Platform.runLater(() -> progress.set(step)));
            saveMode(c, Config.TlsMode.ACME);
            return "Let's Encrypt issued a certificate.";
        });
    }

    public void importFiles(Path cert, Path key) {
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
