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
     * what follows. Cancel is the default button, so Enter does not delete.
     */
    static boolean confirm(Node owner, String question, String what) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, what, ButtonType.CANCEL, ButtonType.OK);
        a.initOwner(owner.getScene().getWindow());
        a.setTitle(question);
        a.setHeaderText(question);
        ((Button) a.getDialogPane().lookupButton(ButtonType.OK)).setDefaultButton(false);
        ((Button) a.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        return a.showAndWait().filter(ButtonType.OK::equals).isPresent();
    }

    static String stylesheet() {
        return Views.class.getResource("mailwright.css").toExternalForm();
    }
}
