package org.mailwright.ui;

import java.util.Optional;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** "Connect to remote…": where a deployed engine is; OK is enabled once the target reads as USER@HOST[:PORT]. */
final class ConnectDialog {
    private final Dialog<RemoteConnection> dialog = new Dialog<>();
    final TextField target = new TextField();
    final TextField identity = new TextField();
    final TextField remoteDir = new TextField();
    final TextField knownHosts = new TextField();

    final javafx.scene.control.ComboBox<org.mailwright.admin.Servers.Server> remembered = new javafx.scene.control.ComboBox<>();

    ConnectDialog(Window owner, RemoteConnection initial) {
        this(owner, initial, java.util.List.of());
    }

    /** {@code servers}: the remembered ones (DATA/servers.json), offered first; choosing one fills the fields. */
    ConnectDialog(Window owner, RemoteConnection initial, java.util.List<org.mailwright.admin.Servers.Server> servers) {
        if (owner != null) dialog.initOwner(owner);
        dialog.setTitle("Connect to remote");
        dialog.setHeaderText("Attach to a Mailwright deployed on another machine.\n"
                + "The Maillog and Queue views then show that engine, over SSH.");
        target.setId("remote-target");
        identity.setId("remote-identity");
        remoteDir.setId("remote-dir");
        knownHosts.setId("remote-known-hosts");
        target.setPromptText("root@mail.example.org or root@203.0.113.5:2222");
        remoteDir.setPromptText("as deployed: /opt/mailwright for root, else ~/mailwright");
        identity.setText(initial.identity());
        remoteDir.setText(initial.remoteDir());
        knownHosts.setText(initial.knownHosts());
        Label problem = new Label();
        problem.getStyleClass().add("problem");
        problem.setWrapText(true);
        problem.setMaxWidth(640);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        remembered.setId("remote-remembered");
        remembered.getItems().setAll(servers);
        remembered.setPromptText(servers.isEmpty() ? "no server used yet" : "a server used before");
        remembered.setDisable(servers.isEmpty());
        remembered.valueProperty().addListener((o, a, s) -> {
            if (s == null) return;
            target.setText(s.target());
            if (!s.identity().isEmpty()) identity.setText(s.identity());
            remoteDir.setText(s.remoteDir());
            if (!s.knownHosts().isEmpty()) knownHosts.setText(s.knownHosts());
        });
        grid.addRow(0, new Label("Used before"), remembered);
        grid.addRow(1, new Label("SSH target (USER@HOST[:PORT])"), target);
        grid.addRow(2, new Label("Identity key file"), identity);
        grid.addRow(3, new Label("Remote directory"), remoteDir);
        grid.addRow(4, new Label("known_hosts"), knownHosts);
        grid.add(problem, 0, 5, 2, 1);
        for (TextField f : new TextField[] {target, identity, remoteDir, knownHosts}) f.setPrefColumnCount(32);
        dialog.getDialogPane().setContent(grid);
        ButtonType connect = new ButtonType("Connect", javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().addAll(connect, ButtonType.CANCEL);
        dialog.getDialogPane().getStylesheets().add(Views.stylesheet());
        var connectButton = dialog.getDialogPane().lookupButton(connect);
        connectButton.setDisable(true);
        target.textProperty().addListener((o, a, now) -> {
            String why = "";
            try {
                if (!now.isBlank()) new RemoteConnection(now, "", "", "").sshTarget();
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
            }
            problem.setText(why);
            connectButton.setDisable(now.isBlank() || !why.isEmpty());
        });
        target.setText(initial.target());
        dialog.setResultConverter(b -> b == connect
                ? new RemoteConnection(target.getText().strip(), identity.getText().strip(), remoteDir.getText().strip(), knownHosts.getText().strip())
                : null);
        javafx.application.Platform.runLater(target::requestFocus);
    }

    Dialog<RemoteConnection> dialog() {
        return dialog;
    }

    Optional<RemoteConnection> ask() {
        return dialog.showAndWait();
    }
}
