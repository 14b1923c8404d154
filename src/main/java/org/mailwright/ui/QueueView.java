package org.mailwright.ui;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
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
        BooleanBinding none = table.getSelectionModel().selectedItemProperty().isNull();
        retryButton.disableProperty().bind(none);
        bounceButton.disableProperty().bind(none);
        deleteButton.disableProperty().bind(none);
        viewButton.disableProperty().bind(none);
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
        if (id == null) return;
        model.show(id, headers -> {
            Alert a = new Alert(Alert.AlertType.INFORMATION);
            a.initOwner(root.getScene().getWindow());
            a.setTitle("Message " + id);
            a.setHeaderText("Headers of the message of " + id);
            TextArea text = new TextArea(headers);
            text.setEditable(false);
            text.getStyleClass().add("story");
            text.setPrefSize(760, 360);
            a.getDialogPane().setContent(text);
            a.setResizable(true);
            a.show();
        });
    }

    public Parent root() {
        return root;
    }
}
