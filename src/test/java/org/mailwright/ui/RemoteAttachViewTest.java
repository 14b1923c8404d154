package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.deploy.RemoteAttach;
import org.mailwright.deploy.RemoteHost;
import org.mailwright.deploy.SshConnection;
import org.mailwright.deploy.SshServer;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * "Connect to remote" end to end: an engine deployed over real OpenSSH (sshd on 127.0.7.30, the engine on
 * 127.0.7.31) receives a message with swaks and queues one for a remote domain; the main window attaches to it
 * and its Maillog view shows the remote delivery, its Queue view the remote envelope; Disconnect goes back.
 */
@ExtendWith(ApplicationExtension.class)
class RemoteAttachViewTest {
    @RegisterExtension final RemoteDesk remote = new RemoteDesk();
    @TempDir Path tmp;

    @Test
    void theMaillogAndQueueViewsShowTheRemoteEngine(FxRobot robot) throws Exception {
        RemoteHost server = remote.server(tmp, "127.0.7.30");
        TestData desk = new TestData(tmp.resolve("desk"), "mail.example.org", "example.org", "127.0.7.31");
        desk.user("alice", "correct horse battery");
        server.deploy(desk.dir);

        Peers.Result sent = Peers.swaks("--server", "127.0.7.31:" + desk.smtp, "--from", "bob@example.net",
                "--to", "alice@example.org", "--body", "hello over there");
        assertThat(sent.exit()).as(sent.out()).isZero();
        // Remote mail waits in the remote queue: the remote engine's resolver is a dead loopback port (TempFail).
        try (RemoteAttach side = server.attach()) {
            SshConnection.Result queued = side.ssh().exec(side.layout().cli("sendmail -f alice@example.org carol@elsewhere.example"),
                    "Subject: waits\r\n\r\nover there\r\n".getBytes(StandardCharsets.UTF_8), SshServer.timeout());
            assertThat(queued.exit()).as(queued.err()).isZero();
        }

        MainWindow main = remote.window(desk, "Maillog");
        AppContext context = remote.context;
        List<String> errors = remote.errors;
        // A host whose key is not recorded is refused, with the fingerprint and how to record it.
        Fx.run(() -> main.connect(remote.connection(tmp.resolve("empty_known_hosts"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty());
        assertThat(errors.get(0)).startsWith("Connecting to " + server.ssh.target() + ": ").contains(server.ssh.fingerprint())
                .contains("`mailwright deploy " + server.ssh.target() + " --accept-host-key " + server.ssh.fingerprint() + "`");
        await().atMost(Duration.ofSeconds(10)).until(() -> Fx.get(() -> robot.lookup(".sidebar-status").queryAs(Label.class).getText())
                .startsWith("Engine: "));
        errors.clear();
        // What the dialog returns; the dialog itself is looked at under Xvfb.
        Fx.run(() -> main.connect(remote.connection()));

        await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty() || Fx.get(() -> main.maillogView() != null
                && main.maillogView().table().getItems().stream().anyMatch(r -> r.event().equals("delivery")
                        && r.raw().contains("to=<alice@example.org>") && r.raw().contains("result=Ok"))));
        assertThat(errors).isEmpty();
        String status = Fx.get(() -> robot.lookup(".sidebar-status").queryAs(Label.class).getText());
        assertThat(status).isEqualTo("Connected to " + server.ssh.target());

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
