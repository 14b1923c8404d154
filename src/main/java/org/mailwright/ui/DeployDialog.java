package org.mailwright.ui;

import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * "Deploy to a server…" (the menu and the Dashboard): the {@link DeployPane} in a window of its own with Deploy,
 * Cancel (stops a deploy before its install) and Close. On success it closes and hands over the connection, so the
 * window can attach to the server it just deployed.
 */
final class DeployDialog {
    private final Stage stage = new Stage();
    private final DeployPane pane;
    final Button deployButton = new Button("Deploy");
    final Button cancelButton = new Button("Cancel deploy");
    final Button closeButton = new Button("Close");

    DeployDialog(Window owner, AppContext context, Consumer<RemoteConnection> deployed) {
        pane = new DeployPane(new DeployViewModel(context));
        DeployViewModel model = pane.model();
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        }
        stage.setTitle("Deploy to a server");
        deployButton.setId("deploy-button");
        cancelButton.setId("deploy-cancel");
        closeButton.setId("deploy-close");
        deployButton.getStyleClass().add("accent");
        deployButton.setDefaultButton(true);
        deployButton.disableProperty().bind(Bindings.or(model.deploying, model.checking));
        cancelButton.visibleProperty().bind(model.deploying);
        cancelButton.managedProperty().bind(cancelButton.visibleProperty());
        closeButton.disableProperty().bind(model.deploying);
        deployButton.setOnAction(e -> model.deploy(null, connection -> {
            stage.close();
            deployed.accept(connection);
        }, failed -> { }));
        cancelButton.setOnAction(e -> model.cancel());
        closeButton.setOnAction(e -> stage.close());
        stage.setOnCloseRequest(e -> {
            if (model.deploying.get()) e.consume(); // a deploy in progress is cancelled with its button, not lost
        });
        Label lead = new Label("The engine and its data (configuration, users, certificate, DKIM keys) go to the server over SSH and"
                + " run there as a service; the queue and mailboxes there are kept. Nothing changes on the server before"
                + " the new release has been checked, and it is rolled back if it does not come up.");
        lead.setWrapText(true);
        lead.setMaxWidth(760);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox buttons = new HBox(8, gap, cancelButton, closeButton, deployButton);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox root = new VBox(12, lead, pane.root(), buttons);
        root.setPadding(new Insets(16));
        root.getStyleClass().add("view");
        Scene scene = new Scene(root, 820, 640);
        scene.getStylesheets().add(Views.stylesheet());
        stage.setScene(scene);
        stage.setMinWidth(700);
        stage.setMinHeight(560);
    }

    DeployPane pane() {
        return pane;
    }

    Stage stage() {
        return stage;
    }

    void show() {
        stage.show();
    }
}
