package org.mailwright.ui;

import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.mailwright.admin.Results;

/**
 * The Dashboard's "Getting started" card: the checklist ({@link Checklist}, from the self-test card's report, run
 * again by its button and after a test message) and "Send a test message" with that message's story as it goes.
 */
public final class GettingStartedPane {
    private final SelfTestPane selfTest;
    private final TestMessage test;
    private final VBox root = new VBox(8);
    private final VBox items = new VBox(4);
    private final Label summary = new Label("Run the self-test to see what is done and what is left.");
    private final VBox story = new VBox(2);

    public GettingStartedPane(SelfTestPane selfTest, TestMessage test) {
        this.selfTest = selfTest;
        this.test = test;
        root.getStyleClass().add("card");
        root.setId("gettingStarted");
        Label title = new Label("GETTING STARTED");
        title.getStyleClass().add("card-title");

        summary.setId("checklistSummary");
        summary.getStyleClass().add("muted");
        summary.setWrapText(true);
        summary.setMinWidth(0);
        summary.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(summary, Priority.ALWAYS);
        Button run = new Button("Run self-test");
        run.setId("checklistRunButton");
        run.disableProperty().bind(selfTest.busyProperty());
        run.setOnAction(e -> selfTest.run());
        HBox head = new HBox(10, summary, run);
        head.setAlignment(Pos.CENTER_LEFT);
        items.setId("checklistItems");
        selfTest.reportProperty().addListener((o, a, r) -> show(r));
        selfTest.statusProperty().addListener((o, a, s) -> {
            if (selfTest.busyProperty().get()) summary.setText(s);
        });

        Label sendTitle = new Label("Send a test message");
        sendTitle.getStyleClass().add("host");
        TextField address = new TextField();
        address.setId("testAddress");
        address.setPromptText("you@example.org");
        address.textProperty().bindBidirectional(test.addressProperty());
        HBox.setHgrow(address, Priority.ALWAYS);
        Button send = new Button("Send");
        send.setId("testSendButton");
        send.setDefaultButton(false);
        send.disableProperty().bind(test.busyProperty());
        send.setOnAction(e -> test.send());
        address.setOnAction(e -> test.send());
        HBox sendRow = new HBox(10, address, send);
        sendRow.setAlignment(Pos.CENTER_LEFT);
        Label status = new Label();
        status.setId("testSendStatus");
        status.setWrapText(true);
        status.textProperty().bind(test.statusProperty());
        status.visibleProperty().bind(test.statusProperty().isNotEmpty());
        status.managedProperty().bind(status.visibleProperty());
        story.setId("testStory");
        test.story().addListener((javafx.collections.ListChangeListener<String>) c -> showStory());
        test.onFinished(selfTest::run);

        root.getChildren().addAll(title, head, items, new Separator(), sendTitle, sendRow, status, story);
    }

    private void show(Results.SelfTestReport r) {
        items.getChildren().clear();
        if (r == null) {
            summary.setText("Run the self-test to see what is done and what is left.");
            return;
        }
        List<Checklist.Item> list = Checklist.of(r);
        long done = list.stream().filter(Checklist.Item::ok).count();
        summary.setText(done + " of " + list.size() + " done" + (done == list.size() ? " — this server is ready." : " — each open item says what to do."));
        for (Checklist.Item i : list) {
            Label mark = new Label(i.mark());
            mark.getStyleClass().addAll("check-mark", i.ok() ? "check-ok" : "check-bad");
            Label what = new Label(i.what());
            what.setWrapText(true);
            VBox text = new VBox(1, what);
            if (!i.fix().isEmpty()) {
                Label fix = new Label("Fix: " + i.fix());
                fix.getStyleClass().addAll("muted", "check-fix");
                fix.setWrapText(true);
                text.getChildren().add(fix);
            }
            text.setMinWidth(0);
            HBox.setHgrow(text, Priority.ALWAYS);
            HBox line = new HBox(6, mark, text);
            line.getStyleClass().add("check-item");
            items.getChildren().add(line);
        }
    }

    private void showStory() {
        story.getChildren().setAll(test.story().stream().map(l -> {
            Label line = new Label(l);
            line.setWrapText(true);
            line.setMinWidth(0);
            line.getStyleClass().add("story-line");
            return line;
        }).toList());
    }

    public Parent root() {
        return root;
    }
}
