package org.mailwright.ui;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The main window: a sidebar of views (Ctrl+1 … Ctrl+8), the engine menu, and the wizard re-run. */
public final class MainWindow {
    private final AppContext context;
    private final Runnable rerunWizard;
    private final Parent root;
    private final Map<String, Supplier<Parent>> factories = new LinkedHashMap<>();
    private final Map<String, Parent> built = new LinkedHashMap<>();
    private final Map<String, ToggleButton> buttons = new LinkedHashMap<>();
    private final ToggleGroup group = new ToggleGroup();
    private MaillogView maillogView;
    private QueueView queueView;

    @FXML VBox sidebar;
    @FXML StackPane content;
    @FXML Label engineStatus;
    @FXML javafx.scene.layout.HBox remoteBar;
    @FXML Label remoteLabel;
    /** An engine runs on the data directory in its own process (kept running when the app quit): say so, offer Stop. */
    @FXML javafx.scene.layout.HBox backgroundBar;
    @FXML MenuItem startItem;
    @FXML MenuItem stopItem;
    @FXML MenuItem connectItem;
    @FXML MenuItem disconnectItem;
    /** The last connection asked for, so the dialog opens with it. */
    private RemoteConnection lastRemote = RemoteConnection.defaults();
    private final javafx.beans.property.BooleanProperty connecting = new javafx.beans.property.SimpleBooleanProperty();

    public MainWindow(AppContext context, Runnable rerunWizard) {
        this.context = context;
        this.rerunWizard = rerunWizard;
        factories.put("Dashboard", () -> new DashboardView(new DashboardViewModel(context), this::deployToServer).root());
        factories.put("Maillog", () -> (maillogView = new MaillogView(context.maillog())).root());
        factories.put("Queue", () -> (queueView = new QueueView(new QueueViewModel(context))).root());
        factories.put("Users", () -> new UsersView(new UsersViewModel(context)).root());
        factories.put("Aliases", () -> new AliasesView(new AliasesViewModel(context)).root());
        factories.put("DNS", () -> new DnsView(new DnsViewModel(context)).root());
        factories.put("TLS", () -> new TlsView(new TlsViewModel(context)).root());
        factories.put("Settings", () -> new SettingsView(new SettingsViewModel(context)).root());
        this.root = Views.load("MainWindow.fxml", this);
    }

    @FXML
    void initialize() {
        int n = 1;
        for (String name : factories.keySet()) {
            ToggleButton b = new ToggleButton(name);
            b.setToggleGroup(group);
            b.setMaxWidth(Double.MAX_VALUE);
            b.getStyleClass().add("nav");
            b.setId("nav-" + name.toLowerCase(java.util.Locale.ROOT));
            b.setOnAction(e -> show(name));
            final int key = n++;
            b.setTooltip(new javafx.scene.control.Tooltip(name + " (Ctrl+" + key + ")"));
            sidebar.getChildren().add(b);
            buttons.put(name, b);
        }
        group.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null && was != null) was.setSelected(true);
        });
        EngineHost engine = context.engine();
        var remote = context.remoteProperty();
        engineStatus.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> connecting.get() ? "Connecting to " + lastRemote.target() + "…"
                        : remote.get() != null ? connectedTo(remote.get())
                        : "Engine: " + engine.state().words, engine.stateProperty(), remote, connecting));
        remoteBar.visibleProperty().bind(remote.isNotNull());
        remoteBar.managedProperty().bind(remoteBar.visibleProperty());
        remoteLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> remote.get() == null ? ""
                : connectedTo(remote.get()) + " — every view acts on the server", remote));
        connectItem.disableProperty().bind(connecting);
        disconnectItem.disableProperty().bind(remote.isNull());
        startItem.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> engine.state() != EngineHost.State.STOPPED && engine.state() != EngineHost.State.FAILED, engine.stateProperty()));
        stopItem.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> engine.state() != EngineHost.State.RUNNING && engine.state() != EngineHost.State.ELSEWHERE, engine.stateProperty()));
        backgroundBar.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> remote.get() == null && engine.state() == EngineHost.State.ELSEWHERE, engine.stateProperty(), remote));
        backgroundBar.managedProperty().bind(backgroundBar.visibleProperty());
        sidebar.sceneProperty().addListener((o, a, scene) -> {
            if (scene == null) return;
            int i = 1;
            for (String name : factories.keySet()) {
                KeyCode code = KeyCode.valueOf("DIGIT" + i++);
                scene.getAccelerators().put(new KeyCodeCombination(code, KeyCombination.SHORTCUT_DOWN), () -> show(name));
            }
        });
        show("Dashboard");
    }

    /** How the window names the server it acts on. */
    static String connectedTo(AppContext.RemoteEngine remote) {
        return "Connected to " + remote.name();
    }

    /** Shows a view, building it on first use. */
    public void show(String name) {
        Parent view = built.computeIfAbsent(name, k -> factories.get(k).get());
        for (Node child : content.getChildren()) child.setVisible(child == view);
        if (!content.getChildren().contains(view)) content.getChildren().add(view);
        view.setVisible(true);
        buttons.get(name).setSelected(true);
    }

    @FXML
    void startEngine() {
        context.engine().start();
    }

    @FXML
    void stopEngine() {
        context.engine().stop();
    }

    @FXML
    void connectRemote() {
        new ConnectDialog(root.getScene() == null ? null : root.getScene().getWindow(), lastRemote,
                org.mailwright.admin.Servers.in(context.dataDir()).list()).ask().ifPresent(this::connect);
    }

    /**
     * Connects in the background; on success the Maillog and Queue views show the remote engine, a failure is
     * shown in words (an unknown host key with its fingerprint and how to record it).
     */
    public void connect(RemoteConnection connection) {
        lastRemote = connection;
        connecting.set(true);
        context.work().run("Connecting to " + connection.target(), connection::open, attach -> {
            connecting.set(false);
            try {
                org.mailwright.admin.Servers.in(context.dataDir()).connected(connection.target(), connection.identity(),
                        connection.remoteDir(), connection.knownHosts());
            } catch (java.io.IOException e) {
                context.work().error("Could not remember " + connection.target() + " in the server list: " + e.getMessage());
            }
            try {
                context.attachRemote(attach, connection.sshTarget().toString());
            } catch (java.io.IOException e) {
                context.work().error("Following the maillog of " + connection.target() + ": " + BackgroundWork.describe(e));
                return;
            }
            if (queueView != null) queueView.refresh();
        }, failed -> {
            connecting.set(false);
            context.work().error(failed);
        });
    }

    /** "Deploy to a server…": the Deploy dialog; after a deploy that worked the window attaches to that server. */
    @FXML
    void deployToServer() {
        deployDialog = new DeployDialog(root.getScene() == null ? null : root.getScene().getWindow(), context, this::connect);
        deployDialog.show();
    }

    private DeployDialog deployDialog;

    /** The Deploy dialog opened last (tests drive it). */
    DeployDialog deployDialog() {
        return deployDialog;
    }

    @FXML
    void disconnectRemote() {
        context.disconnectRemote();
        if (queueView != null) queueView.refresh();
    }

    @FXML
    void runWizard() {
        rerunWizard.run();
    }

    /** Ctrl+Q and Quit do what closing the window does (the app asks first when the engine runs here). */
    @FXML
    void quit() {
        javafx.stage.Window w = root.getScene().getWindow();
        if (w.getOnCloseRequest() == null) w.hide();
        else w.fireEvent(new javafx.stage.WindowEvent(w, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST));
    }

    public Parent root() {
        return root;
    }

    MaillogView maillogView() {
        return maillogView;
    }

    QueueView queueView() {
        return queueView;
    }
}
