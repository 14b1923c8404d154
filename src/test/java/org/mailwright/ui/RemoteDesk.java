package org.mailwright.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javafx.stage.Stage;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mailwright.deploy.RemoteHost;
import org.mailwright.testing.TestData;
import org.testfx.api.FxToolkit;

/**
 * The fixture of the remote GUI tests: the server ({@link RemoteHost}: real OpenSSH on loopback, the engine deployed
 * there), the app's context on the desk and its main window on the TestFX stage. Registered after TestFX's
 * {@code ApplicationExtension} ({@code @RegisterExtension final RemoteDesk remote = new RemoteDesk();}); after each
 * test it closes the context on the FX thread, then stops the deployed engine and sshd.
 */
final class RemoteDesk implements BeforeEachCallback, AfterEachCallback {
    Stage stage;
    RemoteHost server;
    AppContext context;
    /** What the app's background work reported as failed, from {@link #window} on. */
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    RemoteDesk() {
        Fx.patientSetup(); // before TestFX starts the toolkit for the first test
    }

    @Override
    public void beforeEach(ExtensionContext test) {
        stage = FxToolkit.toolkitContext().getRegisteredStage(); // the one ApplicationExtension has just set up (an @Start's)
    }

    /** sshd on {@code address}, under {@code tmp} (see {@link RemoteHost}); nothing deployed yet. */
    RemoteHost server(Path tmp, String address) throws IOException, InterruptedException {
        server = RemoteHost.start(tmp, address);
        return server;
    }

    /** The app's context on the desk, made on the FX thread as the app makes it. */
    AppContext context(TestData desk) {
        context = Fx.get(() -> new AppContext(desk.dir));
        return context;
    }

    /** The main window on the desk, on the stage, showing {@code view}; the context's errors are collected from here on. */
    MainWindow window(TestData desk, String view) {
        AppContext c = context(desk);
        MainWindow main = Fx.get(() -> {
            MainWindow w = new MainWindow(c, () -> {});
            Fx.show(stage, w.root());
            w.show(view);
            return w;
        });
        c.work().onError(errors::add);
        return main;
    }

    /** What "Connect to remote…" returns for the server, its host key as the deploy recorded it. */
    RemoteConnection connection() {
        return connection(server.knownHosts);
    }

    RemoteConnection connection(Path knownHosts) {
        return new RemoteConnection(server.ssh.target().toString(), server.ssh.clientKey.toString(),
                server.remoteDir.toString(), knownHosts.toString());
    }

    @Override
    public void afterEach(ExtensionContext test) throws Exception {
        try {
            if (context != null) Fx.run(context::close);
        } finally {
            if (server != null) server.close();
        }
    }
}
