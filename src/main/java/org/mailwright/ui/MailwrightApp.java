package org.mailwright.ui;

import java.nio.file.Path;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;

/** The desktop app: the setup wizard on a first run, then the main window with the engine running inside. */
public final class MailwrightApp extends Application {
    static volatile Path launchDataDir;

    private final Path dataDir;
    private AppContext context;
    private Stage stage;
    private final WindowPlacement placement = new WindowPlacement("main");

    public MailwrightApp() {
        this(launchDataDir);
    }

    public MailwrightApp(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public void start(Stage primary) {
        this.stage = primary;
        context = new AppContext(dataDir);
        context.work().onError(this::showError);
        stage.setTitle("Mailwright — " + dataDir);
        stage.setMinWidth(1024);
        stage.setMinHeight(700);
        placement.restore(stage);
        stage.setOnHiding(e -> placement.remember(stage));
        stage.setOnCloseRequest(e -> {
            e.consume(); // the window goes when close() says so
            close();
        });
        if (context.configured()) showMain(true);
        else showWizard(false);
        stage.show();
    }

    /**
     * Window close, Ctrl+Q and Quit: asks first when closing would discard the wizard's answers, or stop the mail
     * server running in this process (stop it, keep it running in the background, or stay).
     */
    void close() {
        if (wizardModel != null && wizardModel.hasInput() && !WizardView.confirmDiscard(stage.getScene().getRoot())) return;
        EngineHost engine = context.engine();
        if (engine.state() == EngineHost.State.RUNNING) {
            switch (QuitDialog.ask(stage)) {
                case CANCEL -> {
                    return;
                }
                case KEEP_RUNNING -> {
                    engine.handOver(stage::hide, context.work()::error);
                    return;
                }
                case STOP -> { } // stop() stops it as the app exits
            }
        }
        stage.hide();
    }

    /** The wizard shown now, or null. */
    private WizardViewModel wizardModel;

    /** The wizard in the main stage; on Finish the main window takes its place. */
    void showWizard(boolean rerun) {
        wizardModel = new WizardViewModel(context, rerun);
        WizardView wizard = new WizardView(wizardModel, server -> {
            showMain(false);
            if (server != null) main.connect(server); // deployed: the window acts on the server from now on
        }, rerun ? () -> showMain(false) : null);
        setRoot(wizard.root());
        stage.titleProperty().unbind();
        stage.setTitle("Mailwright — set up " + dataDir);
    }

    void showMain(boolean startEngine) {
        wizardModel = null;
        MainWindow main = new MainWindow(context, () -> showWizard(true));
        setRoot(main.root());
        var remote = context.remoteProperty();
        stage.titleProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> remote.get() == null
                ? "Mailwright — " + dataDir : "Mailwright — connected to " + remote.get().name(), remote));
        if (startEngine) context.engine().start();
        this.main = main;
    }

    private MainWindow main;

    MainWindow mainWindow() {
        return main;
    }

    AppContext context() {
        return context;
    }

    private void setRoot(javafx.scene.Parent root) {
        if (stage.getScene() == null) {
            Scene scene = new Scene(root);
            scene.getStylesheets().add(Views.stylesheet());
            stage.setScene(scene);
        } else {
            stage.getScene().setRoot(root);
        }
    }

    /** Errors are shown in the window, in words; never a stack trace. */
    void showError(String message) {
        if (!Platform.isFxApplicationThread()) {
            Platform.runLater(() -> showError(message));
            return;
        }
        Alert a = new Alert(Alert.AlertType.ERROR);
        if (stage != null && stage.isShowing()) a.initOwner(stage);
        a.setTitle("Mailwright");
        int colon = message.indexOf(": ");
        a.setHeaderText(colon > 0 ? message.substring(0, colon) + " failed" : "Something went wrong");
        String body = colon > 0 ? message.substring(colon + 2) : message;
        if (body.length() > 300 || body.contains("\n")) {
            TextArea text = new TextArea(body);
            text.setEditable(false);
            text.setWrapText(true);
            text.setPrefRowCount(6);
            a.getDialogPane().setContent(text);
        } else {
            a.setContentText(body);
        }
        a.getDialogPane().getStylesheets().add(Views.stylesheet());
        a.show();
    }

    @Override
    public void stop() {
        if (context != null) context.close();
    }
}
