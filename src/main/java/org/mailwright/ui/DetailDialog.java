package org.mailwright.ui;

import java.util.List;
import javafx.animation.PauseTransition;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The details of a maillog line or a queued envelope: the whole text, wrapped (nothing scrolls sideways), and Copy,
 * which puts exactly that text on the clipboard. {@code extra} buttons sit next to Copy.
 */
final class DetailDialog {
    private DetailDialog() {}

    static Dialog<Void> show(Node owner, String title, String header, String text, List<Button> extra) {
        TextArea area = new TextArea(text);
        area.setId("detailText");
        area.setEditable(false);
        area.setWrapText(true);
        area.getStyleClass().add("story");
        area.setPrefSize(860, 460);
        VBox.setVgrow(area, Priority.ALWAYS);
        Label copied = new Label();
        copied.getStyleClass().add("muted");
        Button copy = new Button("_Copy");
        copy.setId("copyButton");
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(area.getText());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
            copied.setText("Copied " + area.getText().lines().count() + " lines.");
            PauseTransition fade = new PauseTransition(Duration.seconds(4));
            fade.setOnFinished(x -> copied.setText(""));
            fade.play();
        });
        HBox buttons = new HBox(8);
        buttons.getChildren().add(copy);
        buttons.getChildren().addAll(extra);
        Pane gap = new Pane();
        HBox.setHgrow(gap, Priority.ALWAYS);
        buttons.getChildren().addAll(gap, copied);
        buttons.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        Dialog<Void> dialog = new Dialog<>();
        if (owner != null && owner.getScene() != null) dialog.initOwner(owner.getScene().getWindow());
        dialog.setTitle(title);
        dialog.setHeaderText(header);
        dialog.getDialogPane().setContent(new VBox(8, area, buttons));
        dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        dialog.getDialogPane().getStylesheets().add(Views.stylesheet());
        dialog.setResizable(true);
        dialog.show();
        return dialog;
    }
}
