package org.mailwright.ui;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;

/** Aliases: add one (or more targets to one), delete; the table says what each takes and where it goes. */
public final class AliasesView {
    private final AliasesViewModel model;
    private final Parent root;

    @FXML TableView<AliasesViewModel.AliasRow> table;
    @FXML TableColumn<AliasesViewModel.AliasRow, String> nameColumn;
    @FXML TableColumn<AliasesViewModel.AliasRow, String> targetsColumn;
    @FXML TableColumn<AliasesViewModel.AliasRow, String> kindColumn;
    @FXML TextField name;
    @FXML TextField targets;
    @FXML Label statusLabel;
    @FXML Label whereLabel;
    @FXML Button addButton;
    @FXML Button deleteButton;

    public AliasesView(AliasesViewModel model) {
        this.model = model;
        this.root = Views.load("AliasesView.fxml", this);
    }

    @FXML
    void initialize() {
        table.setItems(model.aliases());
        Label placeholder = new Label();
        placeholder.textProperty().bind(Bindings.createStringBinding(() -> model.readProperty().get() ? "No aliases yet: add one on the right."
                : model.statusProperty().get().isEmpty() ? "Reading the aliases…" : "The aliases could not be read: see why on the right.",
                model.readProperty(), model.statusProperty()));
        table.setPlaceholder(placeholder);
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        targetsColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().targetText()));
        kindColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().kind()));
        table.setRowFactory(t -> new TableRow<>() { // the whole alias, where a narrow window cuts a column short
            @Override
            protected void updateItem(AliasesViewModel.AliasRow row, boolean empty) {
                super.updateItem(row, empty);
                setTooltip(empty || row == null ? null : new Tooltip(row.name() + " → " + row.targetText() + " (" + row.kind() + ")"));
            }
        });
        deleteButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        table.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> {
            if (row != null) name.setText(row.name());
        });
        // The one button says what it does: a new alias, or more targets for the one of that name.
        addButton.textProperty().bind(Bindings.createStringBinding(() -> model.existing(name.getText())
                .map(r -> "_Add to " + r.name().replace("_", "__")).orElse("Add _alias"), name.textProperty(), model.aliases()));
        name.setOnAction(e -> targets.requestFocus());
        targets.setOnAction(e -> add());
        statusLabel.textProperty().bind(model.statusProperty());
        whereLabel.textProperty().bind(model.whereProperty());
        model.refresh();
    }

    @FXML
    void add() {
        if (model.add(name.getText(), targets.getText()) == null) {
            name.clear();
            targets.clear();
        }
    }

    @FXML
    void delete() {
        var a = table.getSelectionModel().getSelectedItem();
        if (a != null && Views.confirm(root, "Delete the alias " + a.name() + "?", AliasesViewModel.afterDelete(a.name()))) {
            model.delete(a.name());
        }
    }

    public Parent root() {
        return root;
    }
}
