package org.mailwright.ui;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.mailwright.admin.Servers;

/**
 * Where to deploy and how it goes, over a {@link DeployViewModel}: a remembered server or USER@HOST[:PORT], the SSH
 * key (Browse…), the remote directory and known_hosts; "Check the server" shows the host key's fingerprint to
 * compare and "I compared it"; then the deploy's steps with their marks and the last thing said. The wizard's last
 * page and the Deploy dialog both show this one pane.
 */
final class DeployPane {
    private final DeployViewModel model;
    private final VBox root = new VBox(10);
    final ComboBox<Servers.Server> remembered = new ComboBox<>();
    final TextField target = new TextField();
    final TextField identity = new TextField();
    final TextField remoteDir = new TextField();
    final TextField knownHosts = new TextField();
    final Button browse = new Button("Browse…");
    final Button checkButton = new Button("Check the server");
    final Label hostKey = new Label();
    final CheckBox compared = new CheckBox("I compared it: the fingerprints are the same");
    final ListView<DeployViewModel.StepRow> steps = new ListView<>();
    final Label lastMessage = new Label();
    final Label problem = new Label();

    DeployPane(DeployViewModel model) {
        this.model = model;
        remembered.setId("deploy-remembered");
        target.setId("deploy-target");
        identity.setId("deploy-identity");
        remoteDir.setId("deploy-remote-dir");
        knownHosts.setId("deploy-known-hosts");
        browse.setId("deploy-browse");
        checkButton.setId("deploy-check");
        hostKey.setId("deploy-host-key");
        compared.setId("deploy-compared");
        steps.setId("deploy-steps");
        lastMessage.setId("deploy-last-message");
        problem.setId("deploy-problem");

        target.textProperty().bindBidirectional(model.target);
        identity.textProperty().bindBidirectional(model.identity);
        remoteDir.textProperty().bindBidirectional(model.remoteDir);
        knownHosts.textProperty().bindBidirectional(model.knownHosts);
        compared.selectedProperty().bindBidirectional(model.compared);
        target.setPromptText("root@mail.example.org or root@203.0.113.5:2222");
        remoteDir.setPromptText("/opt/mailwright for root, else ~/mailwright");
        remembered.setItems(model.remembered);
        remembered.setPromptText(model.remembered.isEmpty() ? "no server deployed to yet" : "a server used before");
        remembered.disableProperty().bind(Bindings.isEmpty(model.remembered));
        remembered.valueProperty().addListener((o, a, s) -> model.choose(s));
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("The private key that logs in to the server");
            java.io.File ssh = new java.io.File(System.getProperty("user.home"), ".ssh");
            if (ssh.isDirectory()) chooser.setInitialDirectory(ssh);
            java.io.File f = chooser.showOpenDialog(root.getScene() == null ? null : root.getScene().getWindow());
            if (f != null) model.identity.set(f.getPath());
        });
        checkButton.setOnAction(e -> model.checkServer());
        checkButton.disableProperty().bind(Bindings.or(model.checking, model.deploying));

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.addRow(0, new Label("Used before"), remembered);
        grid.addRow(1, new Label("SSH target (USER@HOST[:PORT])"), target);
        HBox key = new HBox(6, identity, browse);
        HBox.setHgrow(identity, Priority.ALWAYS);
        grid.addRow(2, new Label("SSH key"), key);
        grid.addRow(3, new Label("Remote directory"), remoteDir);
        grid.addRow(4, new Label("known_hosts"), knownHosts);
        for (TextField f : new TextField[] {target, remoteDir, knownHosts}) f.setPrefColumnCount(34);
        GridPane.setHgrow(key, Priority.ALWAYS);

        Label identityNote = new Label();
        identityNote.textProperty().bind(model.identityNote);
        identityNote.getStyleClass().add("problem");
        identityNote.setWrapText(true);
        identityNote.managedProperty().bind(identityNote.textProperty().isNotEmpty());

        hostKey.textProperty().bind(model.hostKeyText);
        hostKey.setWrapText(true);
        compared.visibleProperty().bind(Bindings.createBooleanBinding(() -> model.hostKey.get() != null && !model.hostKey.get().known(), model.hostKey));
        compared.managedProperty().bind(compared.visibleProperty());
        compared.disableProperty().bind(model.deploying);

        steps.setItems(model.steps);
        steps.setPrefHeight(7 * 26);
        steps.setFocusTraversable(false);
        lastMessage.textProperty().bind(model.lastMessage);
        lastMessage.setWrapText(true);
        lastMessage.getStyleClass().add("muted");
        problem.textProperty().bind(model.problem);
        problem.setWrapText(true);
        problem.getStyleClass().add("problem");
        problem.managedProperty().bind(problem.textProperty().isNotEmpty());

        root.setPadding(new Insets(4, 0, 0, 0));
        root.getChildren().addAll(grid, identityNote, new HBox(8, checkButton), hostKey, compared, steps, lastMessage, problem);
        for (Label l : new Label[] {hostKey, lastMessage, problem, identityNote}) l.setMaxWidth(760);
    }

    DeployViewModel model() {
        return model;
    }

    Parent root() {
        return root;
    }
}
