package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.control.ControlClient;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Leaving the app: while the engine runs in it, closing asks (Cancel stays, Stop stops the mail server, Keep running
 * hands it to a background process that the next start finds and can stop); the wizard asks before its answers go.
 */
@ExtendWith(ApplicationExtension.class)
class QuitTest {
    static {
        Fx.patientSetup();
    }

    private static final Duration SLOW = Duration.ofSeconds(90);
    private static final String BIND = "127.0.23.21";
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void quittingAsksAndKeepRunningLeavesAnEngineTheNextStartAttachesTo(FxRobot robot, @TempDir Path tmp) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), "mail.example.test", "example.test", BIND).user("alice", "correct horse battery");
        try {
            // Cancel (the default): nothing happens.
            MailwrightApp app = open(d.dir);
            await().atMost(SLOW).until(() -> Fx.get(() -> app.context().engine().state()) == EngineHost.State.RUNNING);
            Platform.runLater(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
            DialogPane quit = dialog(robot, "Stop the mail server?");
            assertThat(Fx.get(() -> quit.getButtonTypes().stream().map(ButtonType::getText).toList())).containsExactly(
                    "Stop the mail server and quit", "Keep it running in the background", "Cancel");
            assertThat(Fx.get(() -> ((Button) quit.lookupButton(QuitDialog.CANCEL)).isDefaultButton())).isTrue();
            Fx.snapshot((Stage) quit.getScene().getWindow(), "quit-dialog.png");
            press(quit, QuitDialog.CANCEL);
            assertThat(Fx.get(() -> stage.isShowing())).isTrue();
            assertThat(Fx.get(() -> app.context().engine().state())).isEqualTo(EngineHost.State.RUNNING);

            // Stop the mail server and quit (Ctrl+Q / Quit go the same way as closing the window).
            Platform.runLater(() -> app.mainWindow().quit());
            press(dialog(robot, "Stop the mail server?"), QuitDialog.STOP);
            await().atMost(SLOW).until(() -> !Fx.get(() -> stage.isShowing()));
            Fx.run(app::stop); // what the toolkit does as the app exits
            assertThatThrownBy(() -> SmtpClient.connectTo(BIND, d.smtp)).isInstanceOf(IOException.class);

            // Keep it running in the background: a process of its own serves on, and the window goes.
            MailwrightApp again = open(d.dir);
            await().atMost(SLOW).until(() -> Fx.get(() -> again.context().engine().state()) == EngineHost.State.RUNNING);
            Platform.runLater(() -> again.mainWindow().quit());
            press(dialog(robot, "Stop the mail server?"), QuitDialog.KEEP_RUNNING);
            await().atMost(SLOW).until(() -> !Fx.get(() -> stage.isShowing()));
            Fx.run(again::stop);
            assertThat(new ControlClient(d.dir).engineRunning()).isTrue();
            assertThat(new ControlClient(d.dir).status().path("pid").asLong()).isNotEqualTo(ProcessHandle.current().pid());
            try (SmtpClient c = SmtpClient.connectTo(BIND, d.smtp)) {
                assertThat(c.greeting).startsWith("220");
                c.ehlo();
                assertThat(c.cmd("MAIL FROM:<someone@remote.test>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<alice@example.test>")).startsWith("250");
            }

            // The next start attaches to it: queue and status through its control socket, a bar with Stop.
            MailwrightApp third = open(d.dir);
            await().atMost(SLOW).until(() -> Fx.get(() -> third.context().engine().state()) == EngineHost.State.ELSEWHERE);
            java.util.List<org.mailwright.control.EnvelopeInfo> queued = third.context().queue(q -> q.list());
            assertThat(queued).isEmpty();
            assertThat(third.context().admin().status().running()).isTrue();
            await().atMost(SLOW).until(() -> Fx.get(() -> Fx.shown(robot.lookup("#backgroundBar").query())));
            Fx.snapshot(stage, "main-background-engine.png");
            // Quitting now asks nothing: the engine is not the app's to stop.
            Fx.run(() -> robot.lookup("#stopBackgroundButton").queryAs(Button.class).fire());
            await().atMost(SLOW).until(() -> Fx.get(() -> third.context().engine().state()) == EngineHost.State.STOPPED);
            assertThat(new ControlClient(d.dir).engineRunning()).isFalse();
            assertThat(Fx.get(() -> robot.lookup("#backgroundBar").query().isVisible())).isFalse();
            Fx.run(third::stop);
        } finally {
            if (new ControlClient(d.dir).engineRunning()) BackgroundEngine.stop(d.dir);
        }
    }

    @Test
    void closingTheWizardWithAnswersAsksBeforeDiscardingThem(FxRobot robot, @TempDir Path tmp) throws Exception {
        MailwrightApp app = open(tmp.resolve("empty"));
        try {
            // Nothing typed yet: it just closes.
            Platform.runLater(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
            await().atMost(SLOW).until(() -> !Fx.get(() -> stage.isShowing()));
            Fx.run(app::stop);

            MailwrightApp again = open(tmp.resolve("empty"));
            Fx.run(() -> robot.lookup("#hostname").queryAs(TextField.class).setText("mail.example.test"));
            Platform.runLater(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
            DialogPane discard = dialog(robot, "Discard the setup?");
            assertThat(Fx.get(() -> ((Button) discard.lookupButton(ButtonType.CANCEL)).isDefaultButton())).isTrue();
            Fx.snapshot((Stage) discard.getScene().getWindow(), "wizard-discard.png");
            press(discard, ButtonType.CANCEL);
            assertThat(Fx.get(() -> stage.isShowing())).isTrue();
            assertThat(Fx.get(() -> robot.lookup("#hostname").queryAs(TextField.class).getText())).isEqualTo("mail.example.test");

            Platform.runLater(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
            press(dialog(robot, "Discard the setup?"), ButtonType.OK);
            await().atMost(SLOW).until(() -> !Fx.get(() -> stage.isShowing()));
            Fx.run(again::stop);
            assertThat(tmp.resolve("empty")).doesNotExist();
        } finally {
            Fx.run(app::stop);
        }
    }

    /** The app in the test's stage, as the toolkit starts it. */
    private MailwrightApp open(Path data) {
        MailwrightApp app = new MailwrightApp(data);
        Fx.run(() -> {
            stage.titleProperty().unbind(); // the stage of the app before
            app.start(stage);
        });
        return app;
    }

    /** The dialog with this header, once it shows. */
    private static DialogPane dialog(FxRobot robot, String header) {
        await().atMost(SLOW).until(() -> Fx.get(() -> robot.lookup(".dialog-pane")
                .match(n -> header.equals(((DialogPane) n).getHeaderText())).tryQuery().isPresent()));
        return Fx.get(() -> robot.lookup(".dialog-pane").match(n -> header.equals(((DialogPane) n).getHeaderText())).query());
    }

    private static void press(DialogPane dialog, ButtonType button) {
        Fx.run(() -> ((Button) dialog.lookupButton(button)).fire());
    }
}
