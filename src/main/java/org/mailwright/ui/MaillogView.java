package org.mailwright.ui;

import java.util.List;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Dialog;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;

/** The Maillog view: a virtualised table over {@link MaillogViewModel#visible()}. */
public final class MaillogView {
    private final MaillogViewModel model;
    private final Parent root;

    @FXML TextField filter;
    @FXML ToggleButton all;
    @FXML ToggleButton deliveries;
    @FXML ToggleButton failures;
    @FXML ToggleButton auth;
    @FXML ToggleButton followButton;
    @FXML Button detailsButton;
    @FXML Label countLabel;
    @FXML TableView<LogRow> table;
    @FXML TableColumn<LogRow, String> timeColumn;
    @FXML TableColumn<LogRow, String> idColumn;
    @FXML TableColumn<LogRow, String> roleColumn;
    @FXML TableColumn<LogRow, String> eventColumn;
    @FXML TableColumn<LogRow, String> detailsColumn;

    public MaillogView(MaillogViewModel model) {
        this.model = model;
        this.root = Views.load("MaillogView.fxml", this);
    }

    @FXML
    void initialize() {
        filter.textProperty().bindBidirectional(model.filterTextProperty());
        ToggleGroup quick = new ToggleGroup();
        bindQuick(quick, all, MaillogViewModel.Quick.ALL);
        bindQuick(quick, deliveries, MaillogViewModel.Quick.DELIVERIES);
        bindQuick(quick, failures, MaillogViewModel.Quick.FAILURES);
        bindQuick(quick, auth, MaillogViewModel.Quick.AUTH);
        all.setSelected(true);
        quick.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) was.setSelected(true); // one quick filter is always on
            else model.quickProperty().set((MaillogViewModel.Quick) now.getUserData());
        });
        followButton.selectedProperty().bindBidirectional(model.followProperty());
        followButton.textProperty().bind(javafx.beans.binding.Bindings.when(followButton.selectedProperty())
                .then("Following").otherwise("Paused"));

        table.setItems(model.visible());
        table.setPlaceholder(new Label("No maillog lines yet — they appear here as the engine works."));
        timeColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().time()));
        idColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().id()));
        roleColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().role()));
        eventColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().event()));
        detailsColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().details()));
        idColumn.setCellFactory(c -> new IdCell());
        eventColumn.setCellFactory(c -> new FullTextCell<>());
        detailsColumn.setCellFactory(c -> new FullTextCell<>());
        table.setRowFactory(t -> new ResultRow());
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) details();
        });
        detailsButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());

        model.onAppend(() -> {
            if (model.followProperty().get() && !model.visible().isEmpty()) table.scrollTo(model.visible().size() - 1);
        });
        model.visible().addListener((javafx.collections.ListChangeListener<LogRow>) c -> updateCount());
        model.totalProperty().addListener((o, a, b) -> updateCount());
        followButton.selectedProperty().addListener((o, a, now) -> {
            if (now && !model.visible().isEmpty()) table.scrollTo(model.visible().size() - 1);
        });
        updateCount();
        // Lines loaded before the view existed: a following view starts at the newest line.
        table.sceneProperty().addListener((o, a, scene) -> {
            if (scene != null && model.followProperty().get() && !model.visible().isEmpty()) {
                javafx.application.Platform.runLater(() -> table.scrollTo(model.visible().size() - 1));
            }
        });
    }

    private void bindQuick(ToggleGroup group, ToggleButton button, MaillogViewModel.Quick q) {
        button.setToggleGroup(group);
        button.setUserData(q);
    }

    private void updateCount() {
        int shown = model.visible().size();
        int total = model.rows().size();
        countLabel.setText(shown == total ? String.format("%,d lines", total) : String.format("%,d of %,d lines", shown, total));
    }

    /** "Details": the selected line. */
    @FXML
    void details() {
        LogRow row = table.getSelectionModel().getSelectedItem();
        if (row != null) showDetails(row);
    }

    /** The detail pane of a line: its fields whole and wrapped, then every line of its session or message. */
    public Dialog<Void> showDetails(LogRow row) {
        List<LogRow> story = model.story(row.id());
        String title = row.id().isEmpty() || row.id().equals("-") ? "Maillog line" : row.event() + " of " + row.id();
        return DetailDialog.show(root, title, row.time() + "  " + row.role() + " " + row.event()
                + (row.result() == LogRow.Result.NONE ? "" : "  ·  " + row.result().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')),
                DetailText.line(row, story), List.of());
    }

    public Parent root() {
        return root;
    }

    public TableView<LogRow> table() {
        return table;
    }

    private final class IdCell extends TableCell<LogRow, String> {
        private final Hyperlink link = new Hyperlink();

        IdCell() {
            link.setOnAction(e -> {
                LogRow row = getTableRow() == null ? null : getTableRow().getItem();
                if (row != null) showDetails(row);
            });
            link.setFocusTraversable(false);
        }

        @Override
        protected void updateItem(String id, boolean empty) {
            super.updateItem(id, empty);
            if (empty || id == null || id.isEmpty() || id.equals("-")) {
                setGraphic(null);
                setText(empty || id == null ? null : id);
            } else {
                link.setText(id);
                setText(null);
                setGraphic(link);
            }
        }
    }

    private final class ResultRow extends TableRow<LogRow> {
        private static final List<String> CLASSES = List.of("result-ok", "result-tempfail", "result-permfail", "result-authfail");

        ResultRow() {
            setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !isEmpty() && getItem() != null) showDetails(getItem());
            });
        }

        @Override
        protected void updateItem(LogRow row, boolean empty) {
            super.updateItem(row, empty);
            getStyleClass().removeAll(CLASSES);
            if (empty || row == null) return;
            switch (row.result()) {
                case OK -> getStyleClass().add("result-ok");
                case TEMPFAIL -> getStyleClass().add("result-tempfail");
                case PERMFAIL -> getStyleClass().add("result-permfail");
                case AUTH_FAIL -> getStyleClass().add("result-authfail");
                default -> { }
            }
        }
    }

}
