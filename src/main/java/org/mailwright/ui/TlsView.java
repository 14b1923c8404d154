package org.mailwright.ui;

import java.io.File;
import java.nio.file.Path;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.Pane;
import javafx.stage.FileChooser;

/** TLS: status, Let's Encrypt (Get a certificate, or Renew now on an ACME one) with its steps, change mode. */
public final class TlsView {
    private final TlsViewModel model;
    private final Parent root;

    @FXML Label certificateLabel;
    @FXML Label modeLabel;
    @FXML Label progressLabel;
    @FXML CheckBox staging;
    @FXML TextField certFile;
    @FXML TextField keyFile;
    @FXML Pane actions;
    @FXML Button acmeButton;

    public TlsView(TlsViewModel model) {
        this.model = model;
        this.root = Views.load("TlsView.fxml", this);
    }

    @FXML
    void initialize() {
        certificateLabel.textProperty().bind(model.statusProperty());
        modeLabel.textProperty().bind(model.modeProperty().concat("").map(m -> m.isEmpty() ? "" : "Certificate from: " + Words.tlsMode(m)));
        progressLabel.textProperty().bind(model.progressProperty());
        actions.disableProperty().bind(model.busyProperty());
        acmeButton.textProperty().bind(model.acmeActionProperty());
        // Beside the actions, not in them: the list stays readable while the actions are disabled during the order.
        var list = (javafx.scene.layout.VBox) progressLabel.getParent();
        list.getChildren().add(list.getChildren().indexOf(progressLabel), AcmeSteps.view(model.acmeSteps(), "acmeSteps"));
        model.refresh();
    }

    @FXML
    void selfSigned() {
        model.selfSigned();
    }

    @FXML
    void acme() {
        model.acme(staging.isSelected());
    }

    @FXML
    void importFiles() {
        if (certFile.getText().isBlank() || keyFile.getText().isBlank()) {
            model.progressProperty().set("Choose the certificate chain and the private key first.");
            return;
        }
        model.importFiles(Path.of(certFile.getText().strip()), Path.of(keyFile.getText().strip()));
    }

    @FXML
    void browseCert() {
        choose(certFile);
    }

    @FXML
    void browseKey() {
        choose(keyFile);
    }

    private void choose(TextField into) {
        File f = new FileChooser().showOpenDialog(root.getScene().getWindow());
        if (f != null) into.setText(f.getAbsolutePath());
    }

    public Parent root() {
        return root;
    }
}
