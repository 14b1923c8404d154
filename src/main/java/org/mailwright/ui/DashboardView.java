package org.mailwright.ui;

import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;

/** The dashboard: is the engine running, where does it listen, what happened today. */
public final class DashboardView {
    private final DashboardViewModel model;
    private final Parent root;

    @FXML Label stateLabel;
    @FXML Label problemLabel;
    @FXML Label hostLabel;
    @FXML Label remoteDetailLabel;
    @FXML Button startButton;
    @FXML Button stopButton;
    @FXML ListView<String> listenerList;
    @FXML Label receivedLabel;
    @FXML Label deliveredLabel;
    @FXML Label deferredLabel;
    @FXML Label bouncedLabel;
    @FXML Label authLabel;
    @FXML Label certLabel;
    @FXML Label dnsLabel;

    @FXML Button deployButton;
    private final Runnable deploy;

    public DashboardView(DashboardViewModel model) {
        this(model, null);
    }

    /** {@code deploy}: opens the Deploy dialog (null: no Deploy button). */
    public DashboardView(DashboardViewModel model, Runnable deploy) {
        this.model = model;
        this.deploy = deploy;
        this.root = Views.load("DashboardView.fxml", this);
        var cards = ((javafx.scene.layout.VBox) ((javafx.scene.control.ScrollPane) root).getContent()).getChildren();
        SelfTestPane selfTest = new SelfTestPane(model.context());
        // The checklist goes under the engine and its listeners: what to do next, before today's numbers.
        cards.add(2, new GettingStartedPane(selfTest, new TestMessage(model.context())).root());
        cards.add(selfTest.root());
    }

    @FXML
    void initialize() {
        EngineHost engine = model.engine();
        var remote = model.remoteStateProperty();
        stateLabel.textProperty().bind(Bindings.createStringBinding(() -> remote.get().isEmpty() ? engine.state().words : remote.get(),
                engine.stateProperty(), remote));
        stateLabel.textProperty().addListener((o, a, s) -> styleState());
        styleState();
        problemLabel.textProperty().bind(engine.problemProperty());
        problemLabel.visibleProperty().bind(engine.problemProperty().isNotEmpty());
        problemLabel.managedProperty().bind(problemLabel.visibleProperty());
        startButton.disableProperty().bind(Bindings.createBooleanBinding(() -> engine.state() != EngineHost.State.STOPPED
                && engine.state() != EngineHost.State.FAILED, engine.stateProperty()));
        stopButton.disableProperty().bind(Bindings.createBooleanBinding(() -> engine.state() != EngineHost.State.RUNNING,
                engine.stateProperty()));
        // The buttons start and stop the engine in this process; a connected server's engine is its own service.
        for (var b : java.util.List.of(startButton, stopButton)) {
            b.visibleProperty().bind(remote.isEmpty());
            b.managedProperty().bind(b.visibleProperty());
        }
        deployButton.setVisible(deploy != null);
        deployButton.setManaged(deploy != null);
        remoteDetailLabel.textProperty().bind(model.remoteDetailProperty());
        remoteDetailLabel.visibleProperty().bind(remote.isNotEmpty());
        remoteDetailLabel.managedProperty().bind(remoteDetailLabel.visibleProperty());
        hostLabel.textProperty().bind(model.hostnameProperty());
        listenerList.setItems(model.listeners());
        MaillogViewModel log = model.maillog();
        receivedLabel.textProperty().bind(log.receivedProperty().asString());
        deliveredLabel.textProperty().bind(log.deliveredProperty().asString());
        deferredLabel.textProperty().bind(log.deferredProperty().asString());
        bouncedLabel.textProperty().bind(log.bouncedProperty().asString());
        authLabel.textProperty().bind(log.authFailuresProperty().asString());
        certLabel.textProperty().bind(model.certificateProperty());
        dnsLabel.textProperty().bind(model.dnsProperty());
        model.refresh();
    }

    private void styleState() {
        stateLabel.getStyleClass().removeAll("state-running", "state-stopped", "state-failed");
        String remote = model.remoteStateProperty().get();
        stateLabel.getStyleClass().add(!remote.isEmpty() ? (remote.equals("Running") ? "state-running"
                : remote.equals("Not running") || remote.equals("No answer") ? "state-failed" : "state-stopped")
                : switch (model.engine().state()) {
            case RUNNING, ELSEWHERE -> "state-running";
            case FAILED -> "state-failed";
            default -> "state-stopped";
        });
    }

    @FXML
    void start() {
        model.engine().start();
    }

    @FXML
    void stop() {
        model.engine().stop();
    }

    public Parent root() {
        return root;
    }

    @FXML
    void deploy() {
        if (deploy != null) deploy.run();
    }
}
