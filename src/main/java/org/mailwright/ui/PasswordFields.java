package org.mailwright.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.StringProperty;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * A new password as the Users view and the wizard's Users page ask for it: the password, typed again to confirm,
 * Show (both as text), and the strength as a meter of four segments with its words beside it — a row that takes
 * no focus and no clicks, so nobody types into it (a progress bar there once looked like a second password field).
 */
final class PasswordFields {
    static final String MISMATCH = "The two passwords do not match: type the same one twice";

    final PasswordField password = new PasswordField();
    final PasswordField confirm = new PasswordField();
    final CheckBox show = new CheckBox("_Show");
    private final Label confirmProblem = new Label();
    private final Label strengthWords = new Label();
    private final List<Region> segments = new ArrayList<>();
    private final HBox meter = new HBox(3);
    private final VBox root;
    private final String hint;

    /** {@code id}: the password field's id; the others are named after it (idConfirm, idShow, idStrength). */
    PasswordFields(String id, String label, String hint) {
        this.hint = hint;
        password.setId(id);
        confirm.setId(id + "Confirm");
        show.setId(id + "Show");
        show.setMnemonicParsing(true);
        Label passwordLabel = new Label(label);
        passwordLabel.setMnemonicParsing(true);
        passwordLabel.setLabelFor(password);
        Label confirmLabel = new Label("_Confirm password");
        confirmLabel.setMnemonicParsing(true);
        confirmLabel.setLabelFor(confirm);
        HBox passwordRow = new HBox(8, shown(password, id + "Text"), show);
        passwordRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(passwordRow.getChildren().get(0), javafx.scene.layout.Priority.ALWAYS);

        for (int i = 0; i < 4; i++) {
            Region r = new Region();
            r.getStyleClass().add("strength-segment");
            segments.add(r);
            meter.getChildren().add(r);
        }
        meter.setAlignment(Pos.CENTER_LEFT);
        Label strengthTitle = new Label("Strength:");
        strengthTitle.getStyleClass().add("muted");
        strengthWords.getStyleClass().add("strength-words");
        strengthWords.setWrapText(true);
        HBox strength = new HBox(8, strengthTitle, meter, strengthWords);
        strength.setId(id + "Strength");
        strength.setAlignment(Pos.CENTER_LEFT);
        strength.getStyleClass().add("strength");
        strength.setFocusTraversable(false);
        strength.setMouseTransparent(true);
        strength.setAccessibleRole(javafx.scene.AccessibleRole.TEXT);

        confirmProblem.setId(id + "Mismatch");
        confirmProblem.getStyleClass().add("problem");
        confirmProblem.setWrapText(true);
        confirmProblem.managedProperty().bind(confirmProblem.visibleProperty());
        confirmProblem.visibleProperty().bind(confirmProblem.textProperty().isNotEmpty());

        root = new VBox(6, passwordLabel, passwordRow, strength, confirmLabel, shown(confirm, id + "ConfirmText"), confirmProblem);
        password.textProperty().addListener((o, a, p) -> update());
        confirm.textProperty().addListener((o, a, p) -> update());
        password.setOnAction(e -> {
            confirm.requestFocus();
            e.consume(); // Enter in the first field goes on to the second, as a form does
        });
        update();
    }

    /** The field and a plain text field on the same text, one of them shown as Show says. */
    private StackPane shown(PasswordField hidden, String id) {
        TextField plain = new TextField();
        plain.setId(id);
        plain.textProperty().bindBidirectional(hidden.textProperty());
        plain.visibleProperty().bind(show.selectedProperty());
        hidden.visibleProperty().bind(show.selectedProperty().not());
        plain.onActionProperty().bind(hidden.onActionProperty());
        show.selectedProperty().addListener((o, a, s) -> {
            if ((s ? hidden : plain).isFocused()) (s ? plain : hidden).requestFocus();
        });
        return new StackPane(hidden, plain);
    }

    private void update() {
        String p = password.getText();
        PasswordStrength s = PasswordStrength.of(p);
        int filled = p.isEmpty() ? 0 : Math.max(1, s.score());
        for (int i = 0; i < segments.size(); i++) {
            segments.get(i).getStyleClass().removeAll("strength-0", "strength-1", "strength-2", "strength-3", "strength-4");
            if (i < filled) segments.get(i).getStyleClass().add("strength-" + s.score());
        }
        strengthWords.setText(p.isEmpty() ? hint : s.words());
        meter.setAccessibleText("Password strength: " + strengthWords.getText());
        String c = confirm.getText();
        confirmProblem.setText(c.isEmpty() || c.equals(p) ? "" : MISMATCH);
    }

    /** The problem when the confirmation differs from the password, else null (the view models ask this too). */
    static String mismatch(String password, String confirm) {
        return java.util.Objects.equals(password == null ? "" : password, confirm == null ? "" : confirm) ? null : MISMATCH;
    }

    /** Typed twice alike: what Add and Set password wait for. */
    BooleanBinding confirmed() {
        return Bindings.createBooleanBinding(() -> !password.getText().isEmpty() && password.getText().equals(confirm.getText()),
                password.textProperty(), confirm.textProperty());
    }

    /** What the strength row says now. */
    String strengthText() {
        return strengthWords.getText();
    }

    StringProperty text() {
        return password.textProperty();
    }

    StringProperty confirmText() {
        return confirm.textProperty();
    }

    void clear() {
        password.clear();
        confirm.clear();
        show.setSelected(false);
    }

    VBox root() {
        return root;
    }
}
