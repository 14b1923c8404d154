package org.mailwright.ui;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;

/** Users: add, set password (strength shown), delete, choose the admin. */
public final class UsersView {
    private final UsersViewModel model;
    private final Parent root;

    @FXML TableView<UsersViewModel.UserRow> table;
    @FXML TableColumn<UsersViewModel.UserRow, String> nameColumn;
    @FXML TableColumn<UsersViewModel.UserRow, String> adminColumn;
    @FXML TableColumn<UsersViewModel.UserRow, String> addressColumn;
    @FXML TextField name;
    @FXML PasswordField password;
    @FXML ProgressBar strengthBar;
    @FXML Label strengthLabel;
    @FXML Label statusLabel;
    @FXML Label whereLabel;
    @FXML Button deleteButton;
    @FXML Button adminButton;
    @FXML Button passwordButton;

    public UsersView(UsersViewModel model) {
        this.model = model;
        this.root = Views.load("UsersView.fxml", this);
    }

    @FXML
    void initialize() {
        table.setItems(model.users());
        table.setPlaceholder(new Label("No users yet: add one on the right."));
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        adminColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().admin() ? "admin" : ""));
        addressColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().addresses()));
        var none = table.getSelectionModel().selectedItemProperty().isNull();
        deleteButton.disableProperty().bind(none);
        adminButton.disableProperty().bind(none);
        passwordButton.disableProperty().bind(none);
        table.getSelectionModel().selectedItemProperty().addListener((o, a, u) -> {
            if (u != null) name.setText(u.name());
        });
        password.textProperty().addListener((o, a, p) -> {
            PasswordStrength s = PasswordStrength.of(p);
            strengthBar.setProgress(p.isEmpty() ? 0 : Math.max(0.08, s.fraction()));
            strengthLabel.setText(p.isEmpty() ? "at least 8 characters" : s.words());
            strengthBar.getStyleClass().removeAll("strength-0", "strength-1", "strength-2", "strength-3", "strength-4");
            strengthBar.getStyleClass().add("strength-" + s.score());
        });
        statusLabel.textProperty().bind(model.statusProperty());
        whereLabel.textProperty().bind(model.whereProperty());
        model.refresh();
    }

    @FXML
    void add() {
        if (model.setPassword(name.getText(), password.getText(), true) == null) {
            name.clear();
            password.clear();
        }
    }

    @FXML
    void setPassword() {
        var u = table.getSelectionModel().getSelectedItem();
        if (u != null && model.setPassword(u.name(), password.getText(), false) == null) password.clear();
    }

    @FXML
    void delete() {
        var u = table.getSelectionModel().getSelectedItem();
        if (u == null) return;
        if (Views.confirm(root, "Delete the user " + u.name() + "?", u.name() + " can no longer log in or receive mail. "
                + "The mailbox stays on disk.")) model.delete(u.name());
    }

    @FXML
    void makeAdmin() {
        var u = table.getSelectionModel().getSelectedItem();
        if (u != null) model.makeAdmin(u.name());
    }

    public Parent root() {
        return root;
    }
}
