package org.mailwright.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/** Loads a view's FXML (under {@code org/mailwright/ui/}) with its controller object. */
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

    static String stylesheet() {
        return Views.class.getResource("mailwright.css").toExternalForm();
    }
}
