package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.testing.TestData;
import org.mailwright.tls.SelfSigned;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The TLS view's import on this computer goes through the admin layer, so it makes every check {@code tls import}
 * makes: a key of another certificate and a certificate for other names are refused, and nothing changes.
 */
@ExtendWith(ApplicationExtension.class)
class TlsViewImportTest {
    static {
        Fx.patientSetup();
    }

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void importRefusesWhatTlsImportRefuses(@TempDir Path tmp) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), "mail.example.test", "example.test");
        Path ours = tmp.resolve("ours"), other = tmp.resolve("other"), elsewhere = tmp.resolve("elsewhere");
        for (Path p : List.of(ours, other, elsewhere)) Files.createDirectories(p);
        SelfSigned.create(List.of("mail.example.test"), Duration.ofDays(90), ours.resolve("fullchain.pem"), ours.resolve("privkey.pem"));
        SelfSigned.create(List.of("mail.example.test"), Duration.ofDays(90), other.resolve("fullchain.pem"), other.resolve("privkey.pem"));
        SelfSigned.create(List.of("www.elsewhere.test"), Duration.ofDays(90), elsewhere.resolve("fullchain.pem"), elsewhere.resolve("privkey.pem"));
        Path served = d.dir.resolve("tls/fullchain.pem");
        String before = Files.readString(served);

        try (AppContext context = new AppContext(d.dir)) {
            TlsViewModel model = new TlsViewModel(context);
            Fx.run(() -> {
                stage.setScene(new Scene(new TlsView(model).root(), 1024, 700));
                stage.show();
            });

            Fx.run(() -> model.importFiles(ours.resolve("fullchain.pem"), other.resolve("privkey.pem")));
            await().atMost(Duration.ofSeconds(30)).until(() -> !Fx.get(() -> model.busyProperty().get()));
            assertThat(Fx.get(() -> model.progressProperty().get())).contains("is not the private key of any certificate");

            Fx.run(() -> model.importFiles(elsewhere.resolve("fullchain.pem"), elsewhere.resolve("privkey.pem")));
            await().atMost(Duration.ofSeconds(30)).until(() -> !Fx.get(() -> model.busyProperty().get()));
            assertThat(Fx.get(() -> model.progressProperty().get())).contains("does not cover mail.example.test");
            assertThat(Files.readString(served)).as("nothing changed").isEqualTo(before);
            assertThat(ConfigLoader.load(d.dir).tls().mode()).isEqualTo(Config.TlsMode.SELF_SIGNED);

            Fx.run(() -> model.importFiles(ours.resolve("fullchain.pem"), ours.resolve("privkey.pem")));
            await().atMost(Duration.ofSeconds(30)).until(() -> !Fx.get(() -> model.busyProperty().get()));
            assertThat(Fx.get(() -> model.progressProperty().get())).isEqualTo("Your certificate is in use.");
            assertThat(Files.readString(served)).isEqualTo(Files.readString(ours.resolve("fullchain.pem")));
            assertThat(ConfigLoader.load(d.dir).tls().mode()).isEqualTo(Config.TlsMode.FILES);
        }
    }
}
