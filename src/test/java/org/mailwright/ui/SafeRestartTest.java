package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.config.ConfigLoader;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * "Save and restart the engine" without risk: a port another program holds is refused before anything stops (the
 * field is marked, the maillog says so), and a new engine that fails anyway gives way to the old settings again.
 */
@ExtendWith(ApplicationExtension.class)
class SafeRestartTest {
    static {
        Fx.patientSetup();
    }

    private static final String BIND = "127.0.23.11";
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void aTakenPortIsRefusedBeforeTheEngineStopsAndTheFieldIsNamed(FxRobot robot, @TempDir Path tmp) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), "mail.example.test", "example.test", BIND).user("alice", "correct horse battery");
        Path file = d.dir.resolve(ConfigLoader.FILE_NAME);
        String before = Files.readString(file);
        try (AppContext context = new AppContext(d.dir);
             ServerSocket taken = new ServerSocket(0, 5, InetAddress.getByName(BIND))) {
            SettingsViewModel model = new SettingsViewModel(context);
            showSettings(model);
            Fx.run(() -> context.engine().start());
            await().atMost(Duration.ofSeconds(60)).until(() -> Fx.get(() -> context.engine().state()) == EngineHost.State.RUNNING);
            await().atMost(Duration.ofSeconds(30)).until(() -> Fx.get(() -> model.readyProperty().get()));
            Engine running = context.engine().engine();

            Fx.run(() -> {
                robot.lookup("#listenerPort-2").queryAs(TextField.class).setText(String.valueOf(taken.getLocalPort()));
                robot.lookup("#maxRecipients").queryAs(TextField.class).setText("7");
                robot.lookup("#restartButton").queryAs(Button.class).fire();
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> Fx.get(() -> model.statusProperty().get()).startsWith("Not restarted"));

            String status = Fx.get(() -> model.statusProperty().get());
            assertThat(status).contains("cannot listen on " + BIND + " port " + taken.getLocalPort())
                    .contains("the port is already in use").contains("change the port of listener 2 in Settings")
                    .doesNotContain("mailwright.conf");
            assertThat(Fx.get(() -> robot.lookup("#listenerPort-2").query().getStyleClass())).contains("field-error");
            assertThat(Fx.get(() -> robot.lookup("#listenerPort-1").query().getStyleClass())).doesNotContain("field-error");
            assertThat(Fx.get(() -> robot.lookup("#statusLabel").query().getStyleClass())).contains("status-error");
            assertThat(Fx.get(() -> robot.lookup("#listenerProblem").query().isVisible())).isTrue(); // next to the field
            // Nothing stopped: the same engine, on its old ports, with its old settings; the file as it was.
            assertThat(Fx.get(() -> context.engine().state())).isEqualTo(EngineHost.State.RUNNING);
            assertThat(context.engine().engine()).isSameAs(running);
            for (int port : new int[] {d.smtp, d.submission}) {
                try (SmtpClient c = SmtpClient.connectTo(BIND, port)) {
                    assertThat(c.greeting).startsWith("220");
                }
            }
            assertThat(Files.readString(file)).isEqualTo(before);
            assertThat(running.config().limits().maxRecipients()).isNotEqualTo(7);
            assertThat(d.maillog()).containsPattern("control restart-refused reason=\"cannot listen on " + BIND.replace(".", "\\.")
                    + " port " + taken.getLocalPort() + ": the port is already in use");
            Fx.snapshot(stage, "settings-restart-refused.png");

            // Editing the field clears the mark; a free port restarts the engine on it.
            int free = TestData.freePort();
            Fx.run(() -> robot.lookup("#listenerPort-2").queryAs(TextField.class).setText(String.valueOf(free)));
            assertThat(Fx.get(() -> robot.lookup("#listenerPort-2").query().getStyleClass())).doesNotContain("field-error");
            assertThat(Fx.get(() -> robot.lookup("#listenerProblem").query().isVisible())).isFalse();
            Fx.run(() -> robot.lookup("#restartButton").queryAs(Button.class).fire());
            await().atMost(Duration.ofSeconds(60)).until(() -> Fx.get(() -> model.statusProperty().get()).contains("runs with the new settings"));
            assertThat(context.engine().engine()).isNotSameAs(running);
            assertThat(context.engine().engine().config().limits().maxRecipients()).isEqualTo(7);
            try (SmtpClient c = SmtpClient.connectTo(BIND, free)) {
                assertThat(c.greeting).startsWith("220");
            }
        }
    }

    @Test
    void aNewEngineThatFailsToStartGivesWayToTheOldSettings(@TempDir Path tmp) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), "mail.example.test", "example.test", "127.0.23.12");
        Path file = d.dir.resolve(ConfigLoader.FILE_NAME);
        try (AppContext context = new AppContext(d.dir)) {
            Fx.run(() -> context.engine().start());
            await().atMost(Duration.ofSeconds(60)).until(() -> Fx.get(() -> context.engine().state()) == EngineHost.State.RUNNING);
            // Passes the check (the file loads, the ports are the engine's own) but cannot start: no PEM in the file.
            String previous = Files.readString(file);
            Files.writeString(d.dir.resolve("tls").resolve("broken.pem"), "not a certificate\n");
            Files.writeString(file, previous.replace("cert = \"tls/fullchain.pem\"", "cert = \"tls/broken.pem\""));
            assertThat(Files.readString(file)).contains("broken.pem");

            AtomicReference<EngineHost.Restart> result = new AtomicReference<>();
            Fx.run(() -> context.engine().restart(previous, result::set));
            await().atMost(Duration.ofSeconds(60)).until(() -> result.get() != null);

            assertThat(result.get().restarted()).isFalse();
            assertThat(result.get().message()).startsWith("The new settings did not start: ")
                    .contains("The engine runs again with the settings it had before.");
            assertThat(Fx.get(() -> context.engine().state())).isEqualTo(EngineHost.State.RUNNING);
            assertThat(Files.readString(file)).isEqualTo(previous);
            try (SmtpClient c = SmtpClient.connectTo("127.0.23.12", d.smtp)) {
                assertThat(c.greeting).startsWith("220");
            }
            assertThat(d.maillog()).contains("control restart-failed reason=");
        }
    }

    private void showSettings(SettingsViewModel model) {
        Fx.run(() -> {
            Scene scene = new Scene(new SettingsView(model).root(), 1024, 760);
            scene.getStylesheets().add(Views.stylesheet());
            stage.setScene(scene);
            stage.show();
        });
    }
}
