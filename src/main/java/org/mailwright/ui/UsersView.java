package org.mailwright.ui;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

/** Users: add, set password (typed twice, strength shown), delete, choose the admin. */
public final class UsersView {
    private final UsersViewModel model;
    private final Parent root;

    @FXML TableView<UsersViewModel.UserRow> table;
    @FXML TableColumn<UsersViewModel.UserRow, String> nameColumn;
    @FXML TableColumn<UsersViewModel.UserRow, String> adminColumn;
    @FXML TableColumn<UsersViewModel.UserRow, String> addressColumn;
    @FXML TextField name;
    @FXML VBox passwordBox;
    final PasswordFields password = new PasswordFields("password", "_Password", "at least 8 characters");
    @FXML Label statusLabel;
    @FXML Label whereLabel;
    @FXML Button deleteButton;
    @FXML Button adminButton;
    @FXML Button passwordButton;
    @FXML Button addButton;

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
        passwordButton.disableProperty().bind(none.or(password.confirmed().not()));
        addButton.disableProperty().bind(password.confirmed().not());
        passwordBox.getChildren().setAll(password.root());
        password.confirm.setOnAction(e -> add());
        table.getSelectionModel().selectedItemProperty().addListener((o, a, u) -> {
            if (u != null) name.setText(u.name());
        });
        statusLabel.textProperty().bind(model.statusProperty());
        whereLabel.textProperty().bind(model.whereProperty());
        model.refresh();
    }

    @FXML
    void add() {
        if (addButton.isDisabled()) return;
        if (model.setPassword(name.getText(), password.text().get(), password.confirmText().get(), true) == null) {
            name.clear();
            password.clear();
        }
    }

    @FXML
    void setPassword() {
        var u = table.getSelectionModel().getSelectedItem();
        if (u != null && model.setPassword(u.name(), password.text().get(), password.confirmText().get(), false) == null) {
            password.clear();
        }
    }

    @FXML
    void delete() {
        var u = table.getSelectionModel().getSelectedItem();
        if (u == null) return;
        if (Views.confirm(root, "Delete the user " + u.name() + "?", model.afterDelete(u.name()))) model.delete(u.name());
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
