package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.deploy.Deployment;
import org.mailwright.deploy.RemoteAttach;
import org.mailwright.deploy.SshConnection;
import org.mailwright.deploy.SshServer;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * "Connect to remote" end to end: an engine deployed over real OpenSSH (sshd on 127.0.7.30, the engine on
 * 127.0.7.31) receives a message with swaks and queues one for a remote domain; the main window attaches to it
 * and its Maillog view shows the remote delivery, its Queue view the remote envelope; Disconnect goes back.
 */
@ExtendWith(ApplicationExtension.class)
class RemoteAttachViewTest {
    static {
        Fx.patientSetup();
    }

    @TempDir Path tmp;
    private Stage stage;
    private SshServer ssh;
    private AppContext context;
    private Path remoteDir;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void stop() throws Exception {
        if (context != null) Fx.run(context::close);
        SshServer.stopDeployedEngine(remoteDir);
        if (ssh != null) ssh.close();
    }

    @Test
    void theMaillogAndQueueViewsShowTheRemoteEngine(FxRobot robot) throws Exception {
        ssh = SshServer.start(tmp.resolve("sshd"), "127.0.7.30");
        TestData desk = new TestData(tmp.resolve("desk"), "mail.example.org", "example.org", "127.0.7.31");
        desk.user("alice", "correct horse battery");
        Path knownHosts = tmp.resolve("known_hosts");
        remoteDir = tmp.resolve("remote").resolve("mailwright");
        new Deployment(new Deployment.Request(ssh.target(), ssh.clientKey, null, remoteDir.toString(), knownHosts,
                ssh.fingerprint(), desk.dir, SshServer.jarToDeploy(tmp))).run(Deployment.Progress.NONE);

        Peers.Result sent = Peers.swaks("--server", "127.0.7.31:" + desk.smtp, "--from", "bob@example.net",
                "--to", "alice@example.org", "--body", "hello over there");
        assertThat(sent.exit()).as(sent.out()).isZero();
        // Remote mail waits in the remote queue: the remote engine's resolver is a dead loopback port (TempFail).
        try (RemoteAttach side = RemoteAttach.open(ssh.target(), ssh.clientKey, null, knownHosts, remoteDir.toString())) {
            SshConnection.Result queued = side.ssh().exec(side.layout().cli("sendmail -f alice@example.org carol@elsewhere.example"),
                    "Subject: waits\r\n\r\nover there\r\n".getBytes(StandardCharsets.UTF_8), SshServer.timeout());
            assertThat(queued.exit()).as(queued.err()).isZero();
        }

        MainWindow main = Fx.get(() -> {
            context = new AppContext(desk.dir);
            MainWindow w = new MainWindow(context, () -> {});
            stage.setScene(new Scene(w.root(), 1024, 700));
            stage.getScene().getStylesheets().add(Views.stylesheet());
            stage.show();
            w.show("Maillog");
            return w;
        });
        List<String> errors = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        context.work().onError(errors::add);
        // A host whose key is not recorded is refused, with the fingerprint and how to record it.
        Fx.run(() -> main.connect(new RemoteConnection(ssh.target().toString(), ssh.clientKey.toString(), remoteDir.toString(),
                tmp.resolve("empty_known_hosts").toString())));
        await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty());
        assertThat(errors.get(0)).startsWith("Connecting to " + ssh.target() + ": ").contains(ssh.fingerprint())
                .contains("`mailwright deploy " + ssh.target() + " --accept-host-key " + ssh.fingerprint() + "`");
        await().atMost(Duration.ofSeconds(10)).until(() -> Fx.get(() -> robot.lookup(".sidebar-status").queryAs(Label.class).getText())
                .startsWith("Engine: "));
        errors.clear();
        // What the dialog returns; the dialog itself is looked at under Xvfb.
        Fx.run(() -> main.connect(new RemoteConnection(ssh.target().toString(), ssh.clientKey.toString(), remoteDir.toString(),
                knownHosts.toString())));

        await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty() || Fx.get(() -> main.maillogView() != null
                && main.maillogView().table().getItems().stream().anyMatch(r -> r.event().equals("delivery")
                        && r.raw().contains("to=<alice@example.org>") && r.raw().contains("result=Ok"))));
        assertThat(errors).isEmpty();
        String status = Fx.get(() -> robot.lookup(".sidebar-status").queryAs(Label.class).getText());
        assertThat(status).isEqualTo("Connected to " + ssh.target());

        Fx.run(() -> main.show("Queue"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty()
                || Fx.get(() -> main.queueView().table.getItems().stream().anyMatch(r -> r.to().contains("carol@elsewhere.example"))));
        assertThat(errors).isEmpty();

        // A line the remote engine writes now arrives live.
        Peers.Result again = Peers.swaks("--server", "127.0.7.31:" + desk.smtp, "--from", "bob@example.net",
                "--to", "alice@example.org", "--header", "Subject: live");
        assertThat(again.exit()).as(again.out()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> Fx.get(() -> context.maillog().rows().stream()
                .filter(r -> r.event().equals("delivery") && r.raw().contains("to=<alice@example.org>")).count()) == 2);

        Fx.run(main::disconnectRemote);
        assertThat(Fx.get(() -> robot.lookup(".sidebar-status").queryAs(Label.class).getText())).startsWith("Engine: ");
        assertThat(Fx.get(() -> context.maillog().rows().stream().noneMatch(r -> r.raw().contains("alice@example.org")))).isTrue();
    }
}
