package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.Spool;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The Queue view on a stopped engine's spool: a row opens its details (envelope, attempts, whole replies), Copy, the message. */
@ExtendWith(ApplicationExtension.class)
class QueueViewTest {
    static {
        Fx.patientSetup();
    }

    private static final String REPLY = "451 4.4.3 DNS lookup of MX far-away.test failed: no answer from 127.0.0.1:9 within 5 s; "
            + "the next attempt follows the retry schedule, and this sentence is long enough that no column shows all of it";

    private Stage stage;
    private AppContext context;
    private QueueView view;
    private String envelopeId;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    private void open(Path dir) throws IOException {
        TestData d = new TestData(dir, "mx.example.org", "example.org");
        Instant queued = Instant.now().minusSeconds(600);
        Envelope e;
        try (Spool.Incoming in = new Spool(d.dir).receive()) {
            in.stream().write("Subject: waiting\r\nFrom: alice@example.org\r\n\r\nthe body, line one\r\nthe end of the body\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            e = in.commit("alice@example.org", List.of(new Spool.Recipient("bob@far-away.test", "", Envelope.Action.RELAY)), queued).get(0);
        }
        new Spool(d.dir).update(e.retried(Instant.now().plusSeconds(3600), REPLY).retried(Instant.now().plusSeconds(3600), REPLY));
        envelopeId = e.id();
        Path log = Files.createDirectories(d.dir.resolve("log")).resolve("maillog");
        Files.writeString(log, queued + " 5f1a2b3c4d5e6f70 smtp message msgid=" + e.messageId() + " from=<alice@example.org> size=80 nrcpt=1 proto=ESMTP\n"
                + queued.plusSeconds(1) + " " + e.id() + " mta delivery from=<alice@example.org> to=<bob@far-away.test> delay=1s result=TempFail stat=\"" + REPLY + "\"\n"
                + queued.plusSeconds(300) + " " + e.messageId() + " mta host-failed relay=mx.far-away.test stat=\"421 4.3.2 mx.far-away.test is busy, try again in a while\"\n"
                + queued.plusSeconds(301) + " " + e.id() + " mta delivery from=<alice@example.org> to=<bob@far-away.test> delay=5m result=TempFail stat=\"" + REPLY + "\"\n"
                + queued.plusSeconds(302) + " ffffffff00000000 mta delivery from=<x@example.org> to=<y@other.test> delay=1s result=Ok stat=\"250 other\"\n");
        Fx.run(() -> {
            context = new AppContext(d.dir);
            view = new QueueView(new QueueViewModel(context));
            Scene scene = new Scene(view.root(), 1100, 600);
            scene.getStylesheets().add(Views.stylesheet());
            stage.setScene(scene);
            stage.show();
        });
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Fx.get(() -> view.table.getItems().size()) == 1);
    }

    @AfterEach
    void close() {
        if (context != null) Fx.run(() -> {
            for (Window w : List.copyOf(Window.getWindows())) if (w != stage && w.isShowing()) w.hide();
        });
    }

    /** The detail window whose text contains {@code containing}, once it shows. */
    static Stage detailWindow(String containing) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Fx.get(() -> find(containing)) != null);
        return Fx.get(() -> find(containing));
    }

    private static Stage find(String containing) {
        for (Window w : Window.getWindows()) {
            if (!w.isShowing() || !(w instanceof Stage s) || w.getScene() == null) continue;
            if (w.getScene().getRoot().lookup("#detailText") instanceof TextArea t && t.getText().contains(containing)) return s;
        }
        return null;
    }

    static TextArea detailText(Stage window) {
        return Fx.get(() -> (TextArea) window.getScene().getRoot().lookup("#detailText"));
    }

    @Test
    void aRowOpensItsDetailsWithEveryAttemptAndCopyAndTheMessage(FxRobot robot, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        open(dir.resolve("data"));
        assertThat(Fx.get(() -> view.errorColumn.getCellObservableValue(0).getValue())).isEqualTo(REPLY);
        robot.doubleClickOn(envelopeId, MouseButton.PRIMARY);
        Stage detail = detailWindow("envelope:");
        TextArea text = detailText(detail);
        String shown = Fx.get(text::getText);
        assertThat(shown).contains("envelope:     " + envelopeId).contains("to:           <bob@far-away.test>")
                .contains("attempts:     2").contains("last error:   " + REPLY)
                .contains("In the maillog (3 lines").contains("result=TempFail stat=\"" + REPLY + "\"")
                .contains("421 4.3.2 mx.far-away.test is busy, try again in a while")
                .doesNotContain("250 other").doesNotContain("smtp message");
        assertThat(Fx.get(text::isWrapText)).isTrue();
        Fx.snapshot(detail, "queue-detail.png");

        robot.clickOn(Fx.get(() -> detail.getScene().getRoot().lookup("#copyButton")));
        assertThat(Fx.get(() -> Clipboard.getSystemClipboard().getString())).isEqualTo(shown);

        robot.clickOn(Fx.get(() -> detail.getScene().getRoot().lookup("#detailViewMessage")));
        Stage messageWindow = detailWindow("the end of the body");
        TextArea message = detailText(messageWindow);
        String body = Fx.get(message::getText);
        assertThat(body).startsWith("Subject: waiting\nFrom: alice@example.org\n\nthe body, line one\n")
                .doesNotContain("\r").doesNotContain("not shown");
        Fx.snapshot(messageWindow, "queue-message.png");
    }

    @Test
    void enterAndTheDetailsButtonOpenTheSamePane(FxRobot robot, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        open(dir.resolve("data"));
        Fx.run(() -> view.table.getSelectionModel().select(0));
        robot.clickOn("#detailsButton");
        TextArea text = detailText(detailWindow("envelope:"));
        String shown = Fx.get(text::getText);
        assertThat(shown).contains(REPLY);
        Fx.snapshot(stage, "queue-table.png");
    }
}
