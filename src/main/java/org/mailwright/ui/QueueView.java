package org.mailwright.ui;

import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TableRow;
import javafx.scene.input.KeyCode;
import javafx.util.Duration;

/** The Queue view; refreshes itself every few seconds while it is on screen. */
public final class QueueView {
    private final QueueViewModel model;
    private final Parent root;
    private final Timeline autoRefresh;

    @FXML TableView<QueueRow> table;
    @FXML TableColumn<QueueRow, String> idColumn;
    @FXML TableColumn<QueueRow, String> fromColumn;
    @FXML TableColumn<QueueRow, String> toColumn;
    @FXML TableColumn<QueueRow, String> ageColumn;
    @FXML TableColumn<QueueRow, Integer> attemptsColumn;
    @FXML TableColumn<QueueRow, String> nextColumn;
    @FXML TableColumn<QueueRow, String> errorColumn;
    @FXML Button retryButton;
    @FXML Button bounceButton;
    @FXML Button deleteButton;
    @FXML Button viewButton;
    @FXML Button detailsButton;
    @FXML Label statusLabel;

    public QueueView(QueueViewModel model) {
        this.model = model;
        this.root = Views.load("QueueView.fxml", this);
        autoRefresh = new Timeline(new KeyFrame(Duration.seconds(3), e -> model.refresh()));
        autoRefresh.setCycleCount(Timeline.INDEFINITE);
        root.sceneProperty().addListener((o, a, scene) -> onScreen(scene != null));
        root.visibleProperty().addListener((o, a, visible) -> onScreen(visible && root.getScene() != null));
    }

    private void onScreen(boolean shown) {
        if (shown) {
            model.refresh();
            autoRefresh.play();
        } else {
            autoRefresh.stop();
        }
    }

    @FXML
    void initialize() {
        table.setItems(model.rows());
        table.setPlaceholder(new Label("The queue is empty: nothing waits."));
        idColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().id()));
        fromColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().from()));
        toColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().to()));
        ageColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().age()));
        attemptsColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().attempts()));
        nextColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().nextAttempt()));
        errorColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().lastError()));
        for (TableColumn<QueueRow, String> c : List.of(fromColumn, toColumn, nextColumn, errorColumn)) c.setCellFactory(x -> new FullTextCell<>());
        table.setRowFactory(t -> {
            TableRow<QueueRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty() && row.getItem() != null) showDetails(row.getItem());
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) details();
        });
        BooleanBinding none = table.getSelectionModel().selectedItemProperty().isNull();
        retryButton.disableProperty().bind(none);
        bounceButton.disableProperty().bind(none);
        deleteButton.disableProperty().bind(none);
        viewButton.disableProperty().bind(none);
        detailsButton.disableProperty().bind(none);
        statusLabel.textProperty().bind(model.statusProperty());
        // The auto refresh replaces the rows every few seconds; the user's selection must survive it.
        table.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> {
            if (r != null) keptSelection = r.id();
        });
        model.rows().addListener((javafx.collections.ListChangeListener<QueueRow>) c -> {
            if (keptSelection == null) return;
            for (int i = 0; i < model.rows().size(); i++) {
                if (model.rows().get(i).id().equals(keptSelection)) {
                    table.getSelectionModel().select(i);
                    return;
                }
            }
        });
    }

    private String keptSelection;

    private String selectedId() {
        QueueRow r = table.getSelectionModel().getSelectedItem();
        return r == null ? null : r.id();
    }

    @FXML
    void refresh() {
        model.refresh();
    }

    @FXML
    void retry() {
        String id = selectedId();
        if (id != null) model.retry(id);
    }

    @FXML
    void bounce() {
        QueueRow r = table.getSelectionModel().getSelectedItem();
        if (r != null && Views.confirm(root, "Bounce " + r.id() + "?", "The sender " + r.from() + " gets a delivery failure report for "
                + r.to() + ", and the envelope leaves the queue.")) {
            model.bounce(r.id());
        }
    }

    @FXML
    void delete() {
        QueueRow r = table.getSelectionModel().getSelectedItem();
        if (r != null && Views.confirm(root, "Delete " + r.id() + "?", "The message to " + r.to() + " is removed without telling the sender. "
                + "This cannot be undone.")) {
            model.delete(r.id());
        }
    }

    @FXML
    void view() {
        String id = selectedId();
        if (id != null) showMessage(id);
    }

    /** The message of an envelope, headers and body, in the detail pane. */
    void showMessage(String id) {
        model.message(id, text -> DetailDialog.show(root, "Message of " + id, "The message of " + id + " as queued (header and body)",
                text, List.of()));
    }

    @FXML
    void details() {
        QueueRow r = table.getSelectionModel().getSelectedItem();
        if (r != null) showDetails(r);
    }

    /** The detail pane of an envelope: all of it, then every attempt the maillog has for it with its whole reply. */
    void showDetails(QueueRow r) {
        model.attempts(r.envelope(), attempts -> {
            Button message = new Button("_View message");
            message.setId("detailViewMessage");
            message.setOnAction(e -> showMessage(r.id()));
            lastDetail = DetailDialog.show(root, "Envelope " + r.id(), "To <" + r.to() + ">, " + r.attempts()
                    + (r.attempts() == 1 ? " attempt" : " attempts") + (r.lastError().isEmpty() ? "" : ", not delivered yet"),
                    DetailText.envelope(r.envelope(), attempts, java.time.Instant.now()), List.of(message));
        });
    }

    /** The detail pane shown last (tests close it). */
    javafx.scene.control.Dialog<Void> lastDetail;

    public Parent root() {
        return root;
    }
}
