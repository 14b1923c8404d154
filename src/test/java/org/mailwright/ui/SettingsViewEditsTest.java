package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Settings edits what a person sets in mailwright.conf, through the same admin operations as the CLI, with the engine
 * in this process running: rules (added, moved, applied live), the smarthost and its login (the password in a 0600
 * file, never in the file or the maillog), the retry schedule, the host name (a restart, and what else to do), the
 * DKIM keys (made and removed, the removal asked with Cancel as default); choices read in words; a status line goes
 * once the form is edited again.
 */
@ExtendWith(ApplicationExtension.class)
class SettingsViewEditsTest {
    static {
        Fx.patientSetup();
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void everyPartIsEditedThroughTheAdminLayerAndTheEngineFollows(FxRobot robot, @TempDir Path tmp) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), "mail.example.test", "example.test", "127.0.13.31")
                .user("alice", "correct horse battery").user("bob", "correct horse battery");
        Path file = d.dir.resolve(ConfigLoader.FILE_NAME);
        try (AppContext context = new AppContext(d.dir)) {
            Fx.run(() -> context.engine().start());
            await().atMost(Duration.ofSeconds(60)).until(() -> Fx.get(() -> context.engine().state()) == EngineHost.State.RUNNING);
            SettingsViewModel model = new SettingsViewModel(context);
            Fx.run(() -> Fx.show(stage, new SettingsView(model).root()));
            await().atMost(WAIT).until(() -> Fx.get(() -> model.readyProperty().get()));

            // Choices in words, not the enum's names.
            assertThat(shown(robot, "#listenerTls-1")).isEqualTo("STARTTLS offered");
            assertThat(shown(robot, "#outboundTls")).isEqualTo("When offered (STARTTLS)");
            assertThat(shown(robot, "#tlsMode")).isEqualTo("Self-signed");
            assertThat(shown(robot, "#ruleAction-1")).isIn("Deliver here", "Relay to its server");
            tab(robot, 0);
            Fx.snapshot(stage, "settings-server.png");
            tab(robot, 1);
            Fx.snapshot(stage, "settings-listeners.png");

            // A rule put first refuses alice at once; moved below "any for local: deliver", it no longer decides.
            int rulesBefore = Fx.get(() -> model.rules.size());
            Fx.run(() -> {
                model.addRule();
                SettingsViewModel.RuleRow r = model.rules.get(model.rules.size() - 1);
                for (int i = model.rules.size() - 1; i > 0; i--) model.moveRule(r, -1);
            });
            Fx.run(() -> {
                robot.lookup("#ruleFrom-1").queryAs(TextField.class).setText("any");
                robot.lookup("#ruleFor-1").queryAs(TextField.class).setText("rcpt:alice@example.test");
                @SuppressWarnings("unchecked") ChoiceBox<Config.Action> action = robot.lookup("#ruleAction-1").queryAs(ChoiceBox.class);
                action.setValue(Config.Action.REJECT);
            });
            assertThat(shown(robot, "#ruleAction-1")).isEqualTo("Refuse");
            tab(robot, 2);
            Fx.snapshot(stage, "settings-rules.png");
            saveAndWait(robot, model, "applied live");
            assertThat(rcpt(d, "alice")).startsWith("550");
            assertThat(rcpt(d, "bob")).startsWith("250");
            assertThat(ConfigLoader.load(d.dir).matches()).hasSize(rulesBefore + 1);

            // The status of that save is gone as soon as the form is edited again.
            Fx.run(() -> model.moveRule(model.rules.get(0), 1));
            assertThat(Fx.get(() -> model.statusProperty().get())).isEmpty();
            saveAndWait(robot, model, "applied live");
            assertThat(ConfigLoader.load(d.dir).matches().get(1).forWhat().word()).isEqualTo("rcpt:alice@example.test");

            // The smarthost and its login: the password in its own 0600 file, the field emptied, nowhere else.
            String password = "provider-password-5150";
            Fx.run(() -> {
                robot.lookup("#smarthost").queryAs(TextField.class).setText("127.0.13.32:2587");
                robot.lookup("#smarthostUser").queryAs(TextField.class).setText("relay-login");
                robot.lookup("#retrySchedule").queryAs(TextField.class).setText("1m, 1m, 10m");
                robot.lookup("#expire").queryAs(TextField.class).setText("2d");
            });
            Fx.run(() -> robot.lookup("#saveButton").queryAs(Button.class).fire());
            await().atMost(WAIT).until(() -> Fx.get(() -> model.problemProperty().get()));
            assertThat(Fx.get(() -> model.statusProperty().get())).contains("type the smarthost password for relay-login");
            Fx.run(() -> robot.lookup("#smarthostPassword").queryAs(TextField.class).setText(password));
            saveAndWait(robot, model, "applied live");
            Path secret = d.dir.resolve("smarthost.password");
            assertThat(Files.readString(secret).strip()).isEqualTo(password);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
            assertThat(Fx.get(() -> robot.lookup("#smarthostPassword").queryAs(TextField.class).getText())).isEmpty();
            Config running = context.engine().engine().config();
            assertThat(running.outbound().smarthost()).isEqualTo("127.0.13.32:2587");
            assertThat(running.outbound().smarthostUser()).isEqualTo("relay-login");
            assertThat(running.queue().retrySchedule()).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(10));
            assertThat(running.queue().expire()).isEqualTo(Duration.ofDays(2));
            assertThat(Files.readString(file)).doesNotContain(password);
            assertThat(d.maillog()).doesNotContain(password);
            tab(robot, 3);
            Fx.snapshot(stage, "settings-outbound.png");

            // DKIM keys: made at once (the signer's directory), removed only after a confirmation whose default is Cancel.
            Fx.run(() -> {
                robot.lookup("#newSelector").queryAs(TextField.class).setText("s2026");
                @SuppressWarnings("unchecked") ChoiceBox<org.mailwright.dkim.KeyType> type = robot.lookup("#newKeyType").queryAs(ChoiceBox.class);
                type.setValue(org.mailwright.dkim.KeyType.ED25519);
                robot.lookup("#createKeyButton").queryAs(Button.class).fire();
            });
            await().atMost(WAIT).until(() -> Fx.get(() -> model.dkimKeys.stream().anyMatch(k -> k.selector().equals("s2026"))));
            assertThat(d.dir.resolve("dkim/s2026.key")).exists();
            assertThat(Fx.get(() -> model.dkimStatusProperty().get())).contains("s2026._domainkey.example.test");
            Fx.snapshot(stage, "settings-dkim.png");
            robot.clickOn("#dkimRemove-s2026");
            await().atMost(WAIT).until(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
            DialogPane dialog = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
            assertThat(Fx.get(dialog::getHeaderText)).isEqualTo("Remove the DKIM key s2026?");
            Button cancel = (Button) Fx.get(() -> dialog.lookupButton(javafx.scene.control.ButtonType.CANCEL));
            await().atMost(WAIT).until(() -> Fx.get(cancel::isFocused));
            robot.type(KeyCode.ENTER); // Enter is Cancel: the key stays
            await().atMost(WAIT).until(() -> robot.lookup(".dialog-pane").tryQuery().isEmpty());
            assertThat(d.dir.resolve("dkim/s2026.key")).exists();
            robot.clickOn("#dkimRemove-s2026");
            await().atMost(WAIT).until(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
            DialogPane again = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
            Fx.run(() -> ((Button) again.lookupButton(javafx.scene.control.ButtonType.OK)).fire());
            await().atMost(WAIT).until(() -> !Files.exists(d.dir.resolve("dkim/s2026.key")));
            await().atMost(WAIT).until(() -> Fx.get(() -> model.dkimKeys.stream().noneMatch(k -> k.selector().equals("s2026"))));

            // The host name: written, applied at the restart, and the status says what else it needs.
            tab(robot, 0);
            Fx.run(() -> robot.lookup("#hostname").queryAs(TextField.class).setText("mx.example.test"));
            saveAndWait(robot, model, "restart the engine");
            assertThat(Fx.get(() -> model.statusProperty().get())).contains("hostname")
                    .contains("publish the new DNS records (DNS) and get a certificate for the new name (TLS)");
            assertThat(ConfigLoader.load(d.dir).hostname()).isEqualTo("mx.example.test");
            tab(robot, 4);
            Fx.snapshot(stage, "settings-inbound.png");
        }
    }

    /** The text a choice box shows for its value. */
    private static String shown(FxRobot robot, String id) {
        return Fx.get(() -> {
            ChoiceBox<?> box = robot.lookup(id).queryAs(ChoiceBox.class);
            box.applyCss();
            box.layout();
            Label label = (Label) box.lookup(".label");
            return label.getText();
        });
    }

    private static void tab(FxRobot robot, int index) {
        Fx.run(() -> robot.lookup("#tabs").queryAs(TabPane.class).getSelectionModel().select(index));
    }

    private static void saveAndWait(FxRobot robot, SettingsViewModel model, String says) {
        Fx.run(() -> robot.lookup("#saveButton").queryAs(Button.class).fire());
        await().atMost(WAIT).untilAsserted(() -> assertThat(Fx.get(() -> model.statusProperty().get())).contains(says));
        assertThat(Fx.get(() -> model.problemProperty().get())).isFalse();
    }

    private static String rcpt(TestData d, String user) throws Exception {
        try (SmtpClient c = SmtpClient.connectTo("127.0.13.31", d.smtp)) {
            c.ehlo();
            c.cmd("MAIL FROM:<someone@remote.test>");
            return c.cmd("RCPT TO:<" + user + "@example.test>");
        }
    }
}
