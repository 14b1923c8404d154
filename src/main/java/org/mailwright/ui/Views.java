package org.mailwright.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;

/** Loads a view's FXML (under {@code org/mailwright/ui/}) with its controller object; the views' confirmation. */
final class Views {
    private Views() {}

    static Parent load(String fxml, Object controller) {
        URL url = Views.class.getResource(fxml);
        if (url == null) throw new IllegalStateException("missing resource org/mailwright/ui/" + fxml);
        FXMLLoader loader = new FXMLLoader(url);
        loader.setController(controller);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + fxml + ": " + e.getMessage(), e);
        }
    }

    /**
     * Asks before something that cannot be undone: {@code question} as the dialog's title and header, {@code what} says
     * what follows. Every destructive confirmation goes through here, so they all behave alike: Cancel is the default
     * button and has the focus, so Enter (or Space) does not delete; only OK, clicked or chosen, goes on.
     */
    static boolean confirm(Node owner, String question, String what) {
        return confirmation(owner, question, what).showAndWait().filter(ButtonType.OK::equals).isPresent();
    }

    static Alert confirmation(Node owner, String question, String what) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, what, ButtonType.CANCEL, ButtonType.OK);
        a.initOwner(owner.getScene().getWindow());
        a.setTitle(question);
        a.setHeaderText(question);
        a.getDialogPane().setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // long warnings wrap, not cut off
        Button ok = (Button) a.getDialogPane().lookupButton(ButtonType.OK);
        Button cancel = (Button) a.getDialogPane().lookupButton(ButtonType.CANCEL);
        ok.setDefaultButton(false);
        cancel.setDefaultButton(true);
        a.setOnShown(e -> javafx.application.Platform.runLater(cancel::requestFocus));
        return a;
    }

    static String stylesheet() {
        return Views.class.getResource("mailwright.css").toExternalForm();
    }
}
