package org.mailwright.ui;

import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/** Quitting while the engine runs in the app: stop the mail server, keep it running without the window, or stay. */
final class QuitDialog {
    enum Choice { STOP, KEEP_RUNNING, CANCEL }

    static final ButtonType STOP = new ButtonType("Stop the mail server and quit", ButtonBar.ButtonData.OTHER);
    static final ButtonType KEEP_RUNNING = new ButtonType("Keep it running in the background", ButtonBar.ButtonData.OK_DONE);
    static final ButtonType CANCEL = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);

    private QuitDialog() {}

    /** Asks (blocking, on the FX thread); Cancel is the default, so Enter or Escape quits nothing. */
    static Choice ask(Window owner) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "", STOP, KEEP_RUNNING, CANCEL);
        if (owner != null && owner.isShowing()) a.initOwner(owner);
        a.setTitle("Stop the mail server?");
        a.setHeaderText("Stop the mail server?");
        a.setContentText("The mail server runs inside this window. Stopped, it accepts no mail until the app runs again "
                + "(other servers retry for days). Kept running, it serves on its own in the background; the app "
                + "finds it again when you open it, with a Stop button.");
        a.getDialogPane().setId("quitDialog");
        a.getDialogPane().getStylesheets().add(Views.stylesheet());
        a.getDialogPane().setPrefWidth(640);
        // As listed (stop, keep, cancel), each label whole, not the platform's order by button kind.
        if (a.getDialogPane().lookup(".button-bar") instanceof ButtonBar bar) bar.setButtonOrder(ButtonBar.BUTTON_ORDER_NONE);
        for (ButtonType t : a.getButtonTypes()) {
            Button b = (Button) a.getDialogPane().lookupButton(t);
            b.setDefaultButton(t == CANCEL);
            b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            ButtonBar.setButtonUniformSize(b, false);
        }
        a.setOnShown(e -> a.getDialogPane().lookupButton(CANCEL).requestFocus()); // Space too does nothing by default
        ButtonType chosen = a.showAndWait().orElse(CANCEL);
        return chosen == STOP ? Choice.STOP : chosen == KEEP_RUNNING ? Choice.KEEP_RUNNING : Choice.CANCEL;
    }
}
