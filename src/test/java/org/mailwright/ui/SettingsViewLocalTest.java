package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.config.ConfigLoader;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Settings on this computer through the admin layer: a save edits only its keys (comments stay), the engine in this
 * process applies a limit at once, and "Save and restart" still restarts it.
 */
@ExtendWith(ApplicationExtension.class)
class SettingsViewLocalTest {
    static {
        Fx.patientSetup();
    }

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void aSaveEditsOnlyItsKeysAndTheRunningEngineAppliesIt(FxRobot robot, @TempDir Path tmp) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), "mail.example.test", "example.test", "127.0.13.30")
                .user("alice", "correct horse battery").user("bob", "correct horse battery");
        Path file = d.dir.resolve(ConfigLoader.FILE_NAME);
        Files.writeString(file, "# my notes at the top\n" + Files.readString(file));

        try (AppContext context = new AppContext(d.dir)) {
            SettingsViewModel model = new SettingsViewModel(context);
            Fx.run(() -> Fx.show(stage, new SettingsView(model).root()));
            await().atMost(Duration.ofSeconds(30)).until(() -> Fx.get(() -> model.readyProperty().get()));
            assertThat(Fx.get(() -> robot.lookup("#restartButton").query().isVisible())).isTrue();

            save(robot, "2", "#saveButton");
            await().atMost(Duration.ofSeconds(30)).until(() -> Fx.get(() -> model.statusProperty().get()).startsWith("Saved"));
            assertThat(Fx.get(() -> model.statusProperty().get())).isEqualTo("Saved to mailwright.conf — the engine is not running; it uses them when it starts.");
            assertThat(Files.readString(file)).startsWith("# my notes at the top\n").contains("max_recipients = 2");

            Fx.run(() -> context.engine().start());
            await().atMost(Duration.ofSeconds(60)).until(() -> Fx.get(() -> context.engine().state()) == EngineHost.State.RUNNING);
            save(robot, "1", "#saveButton");
            await().atMost(Duration.ofSeconds(30)).until(() -> Fx.get(() -> model.statusProperty().get()).contains("applied live"));
            try (SmtpClient c = SmtpClient.connectTo("127.0.13.30", d.smtp)) {
                c.ehlo();
                assertThat(c.cmd("MAIL FROM:<someone@remote.test>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<alice@example.test>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<bob@example.test>")).startsWith("452 4.5.3");
            }

            // [inbound]: chosen in the view, saved, applied live by the running engine.
            Fx.run(() -> {
                robot.lookup("#dmarc").queryAs(javafx.scene.control.ChoiceBox.class).setValue(org.mailwright.config.Config.DmarcMode.REPORT_ONLY);
                robot.lookup("#dnsbl").queryAs(TextField.class).setText("bl.example.test, dnsbl.example.test");
                robot.lookup("#greylisting").queryAs(javafx.scene.control.CheckBox.class).setSelected(true);
            });
            save(robot, "1", "#saveButton");
            await().atMost(Duration.ofSeconds(30)).until(() -> context.engine().engine().config().inbound().greylisting());
            assertThat(context.engine().engine().config().inbound().dmarc()).isEqualTo(org.mailwright.config.Config.DmarcMode.REPORT_ONLY);
            assertThat(context.engine().engine().config().inbound().dnsbl()).containsExactly("bl.example.test", "dnsbl.example.test");
            assertThat(Files.readString(file)).contains("dmarc = \"report-only\"").contains("greylisting = true");
            Fx.snapshot(stage, "settings.png");

            // A listener's port: saved with the rest, applied by a restart.
            int port = TestData.freePort();
            Fx.run(() -> model.listeners.get(0).port.set(String.valueOf(port)));
            save(robot, "1", "#saveButton");
            await().atMost(Duration.ofSeconds(30)).until(() -> Fx.get(() -> model.statusProperty().get()).contains("restart the engine"));
            assertThat(Fx.get(() -> model.statusProperty().get())).isEqualTo("Saved to mailwright.conf — applied live except listen: restart the engine to apply it.");
            assertThat(ConfigLoader.load(d.dir).listeners().get(0).port()).isEqualTo(port);
            assertThat(Files.readString(file)).startsWith("# my notes at the top\n");

            save(robot, "5", "#restartButton");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Fx.get(() -> model.statusProperty().get()))
                    .as(() -> "the maillog:\n" + maillogTail(d)).containsAnyOf("restarting the engine", "the engine runs with the new settings"));
            await().atMost(Duration.ofSeconds(60)).until(() -> Fx.get(() -> context.engine().state()) == EngineHost.State.RUNNING
                    && context.engine().engine() != null && context.engine().engine().config().limits().maxRecipients() == 5);
            try (SmtpClient c = SmtpClient.connectTo("127.0.13.30", port)) {
                assertThat(c.greeting).startsWith("220");
            }
        }
    }

    private static String maillogTail(TestData d) {
        try {
            String log = d.maillog();
            return log.substring(Math.max(0, log.length() - 3000));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static void save(FxRobot robot, String maxRecipients, String button) {
        Fx.run(() -> {
            robot.lookup("#maxRecipients").queryAs(TextField.class).setText(maxRecipients);
            robot.lookup(button).queryAs(Button.class).fire();
        });
    }
}
