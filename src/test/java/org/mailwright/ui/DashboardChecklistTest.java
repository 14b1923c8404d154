package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Dashboard's "Getting started" card on this computer: a test message to a local user shows its story up to
 * the delivery's {@code result=Ok} and lands in the Maildir; "Run self-test" fills the checklist, every item marked
 * and the open ones with their fix (TestData's resolver answers nothing, so no DNS record is found).
 */
@ExtendWith(ApplicationExtension.class)
class DashboardChecklistTest {
    static {
        Fx.patientSetup();
    }

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void aTestMessageShowsItsStoryAndTheSelfTestFillsTheChecklist(FxRobot robot, @TempDir Path tmp) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), "mail.example.test", "example.test", "127.0.25.10")
                .user("alice", "correct horse battery");
        try (AppContext context = new AppContext(d.dir)) {
            Fx.run(() -> Fx.show(stage, new DashboardView(new DashboardViewModel(context)).root()));
            Fx.run(() -> context.engine().start());
            await().atMost(Duration.ofSeconds(60)).until(() -> Fx.get(() -> context.engine().state()) == EngineHost.State.RUNNING);

            Fx.run(() -> {
                robot.lookup("#testAddress").queryAs(TextField.class).setText("alice@example.test");
                robot.lookup("#testSendButton").queryAs(Button.class).fire();
            });
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(String.join("\n", lines(robot, "#testStory")))
                    .as(() -> "status: " + Fx.get(() -> robot.lookup("#testSendStatus").queryAs(Label.class).getText()))
                    .contains("result=Ok"));
            assertThat(Fx.get(() -> robot.lookup("#testSendStatus").queryAs(Label.class).getText())).startsWith("Queued as ");
            List<Path> delivered = d.delivered("alice");
            assertThat(delivered).hasSize(1);
            assertThat(Files.readString(delivered.get(0))).contains("Subject: Mailwright test message");

            // After the story the checklist runs the self-test by itself; then once more by its button.
            await().atMost(Duration.ofSeconds(60)).until(() -> !items(robot).isEmpty()
                    && !Fx.get(() -> robot.lookup("#checklistRunButton").queryAs(Button.class).isDisabled()));
            Fx.run(() -> robot.lookup("#checklistRunButton").queryAs(Button.class).fire());
            await().atMost(Duration.ofSeconds(60)).until(() -> !items(robot).isEmpty()
                    && !Fx.get(() -> robot.lookup("#checklistRunButton").queryAs(Button.class).isDisabled()));
            List<String> items = items(robot);
            assertThat(items).allMatch(i -> i.startsWith("✓ ") || i.startsWith("✗ "));
            assertThat(items).anyMatch(i -> i.startsWith("✗ MX example.test (required): could not be checked") && i.contains("Fix: ") && i.contains("publish MX example.test"));
            assertThat(items).anyMatch(i -> i.startsWith("✓ Certificate covers mail.example.test"));
            assertThat(items.get(items.size() - 1)).startsWith("✗ Self-test score");
            assertThat(Fx.get(() -> robot.lookup("#checklistSummary").queryAs(Label.class).getText())).matches("\\d+ of \\d+ done — .*");
            Fx.run(() -> {
                // scrolled to the card, for the screenshot
                var scroll = (javafx.scene.control.ScrollPane) stage.getScene().getRoot();
                var card = robot.lookup("#gettingStarted").query();
                double room = scroll.getContent().getBoundsInLocal().getHeight() - scroll.getViewportBounds().getHeight();
                scroll.setVvalue(Math.min(1, card.getBoundsInParent().getMinY() / room));
            });
            Fx.snapshot(stage, "dashboard-checklist.png");
            Fx.run(() -> ((javafx.scene.control.ScrollPane) stage.getScene().getRoot()).setVvalue(0.45));
            Fx.snapshot(stage, "dashboard-test-message.png");
        }
    }

    /** The checklist's lines: mark, what, and "Fix: …" when there is one. */
    private static List<String> items(FxRobot robot) {
        return Fx.get(() -> robot.lookup("#checklistItems").queryAs(VBox.class).getChildren().stream().map(n -> {
            HBox line = (HBox) n;
            String mark = ((Label) line.getChildren().get(0)).getText();
            String text = String.join(" ", ((VBox) line.getChildren().get(1)).getChildren().stream().map(l -> ((Label) l).getText()).toList());
            return mark + " " + text;
        }).toList());
    }

    private static List<String> lines(FxRobot robot, String query) {
        return Fx.get(() -> robot.lookup(query).queryAs(VBox.class).getChildren().stream().map(l -> ((Label) l).getText()).toList());
    }
}
