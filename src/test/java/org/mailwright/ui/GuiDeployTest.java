package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.admin.Servers;
import org.mailwright.deploy.RemoteHost;
import org.mailwright.deploy.SshServer;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * Deploy from the app, to a real OpenSSH server on loopback (sshd on 127.0.12.1, the engine on 127.0.12.2): the
 * Deploy dialog asks the server for its host key and shows the fingerprint OpenSSH itself prints, the steps run
 * with their marks, the window then acts on the server, and a user added in the Users view logs in there at once.
 * The FX thread keeps drawing meanwhile (the longest gap between frames is measured and printed).
 */
@ExtendWith(ApplicationExtension.class)
class GuiDeployTest {
    private static final String ENGINE = "127.0.12.2";
    private static final String PASSWORD = "correct horse battery staple";

    @RegisterExtension final RemoteDesk remote = new RemoteDesk();
    @TempDir Path tmp;
    private TestData desk;

    @AfterEach
    void forgetTheJar() {
        DeployViewModel.jar = null;
    }

    /** sshd on 127.0.12.1, a desk with alice whose engine will listen on 127.0.12.2, the jar to deploy. */
    private RemoteHost serverAndDesk() throws Exception {
        RemoteHost server = remote.server(tmp, "127.0.12.1");
        desk = new TestData(tmp.resolve("desk"), "mail.example.org", "example.org", ENGINE);
        desk.user("alice", PASSWORD);
        DeployViewModel.jar = SshServer.jarToDeploy(tmp);
        return server;
    }

    /** The deploy pane's fields as a user fills them in for the server. */
    private static void fillIn(DeployPane pane, RemoteHost server) {
        Fx.run(() -> {
            pane.target.setText(server.ssh.target().toString());
            pane.identity.setText(server.ssh.clientKey.toString());
            pane.remoteDir.setText(server.remoteDir.toString());
            pane.knownHosts.setText(server.knownHosts.toString());
        });
    }

    @Test
    void deployFromTheDialogThenAUserAddedThereLogsIn(FxRobot robot) throws Exception {
        RemoteHost server = serverAndDesk();
        MainWindow main = remote.window(desk, "Dashboard");
        List<String> errors = remote.errors;

        // The longest time the FX thread did not draw a frame, from here on.
        AtomicLong last = new AtomicLong();
        AtomicLong longest = new AtomicLong();
        AnimationTimer frames = new AnimationTimer() {
            @Override
            public void handle(long now) {
                long before = last.getAndSet(now);
                if (before != 0) longest.accumulateAndGet(now - before, Math::max);
            }
        };
        Fx.run(frames::start);

        Fx.run(() -> robot.lookup("#deployButton").queryAs(Button.class).fire()); // on the Dashboard
        DeployDialog dialog = Fx.get(main::deployDialog);
        DeployPane pane = dialog.pane();
        fillIn(pane, server);
        // Deploy before the key is confirmed: refused, in words.
        Fx.run(dialog.deployButton::fire);
        assertThat(Fx.get(pane.problem::getText)).startsWith("Check the server first");

        Fx.run(pane.checkButton::fire);
        String fingerprint = server.ssh.fingerprint();
        await().atMost(Duration.ofSeconds(30)).until(() -> Fx.get(pane.hostKey::getText).contains(fingerprint));
        assertThat(Fx.get(pane.hostKey::getText)).contains("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub");
        assertThat(Fx.get(pane.compared::isVisible)).isTrue();
        Fx.run(dialog.deployButton::fire);
        assertThat(Fx.get(pane.problem::getText)).contains("I compared it");

        Fx.run(() -> pane.compared.setSelected(true));
        Fx.run(() -> {
            last.set(0);
            longest.set(0);
        });
        Fx.run(dialog.deployButton::fire);
        await().atMost(Duration.ofSeconds(120)).until(() -> !errors.isEmpty() || !Fx.get(pane.problem::getText).isEmpty()
                || Fx.get(() -> robot.lookup(".sidebar-status").queryAs(Label.class).getText()).startsWith("Connected to"));
        assertThat(errors).isEmpty();
        assertThat(Fx.get(pane.problem::getText)).isEmpty();
        assertThat(Fx.get(() -> pane.steps.getItems().stream().map(DeployViewModel.StepRow::mark).distinct().toList()))
                .containsExactly(DeployViewModel.Mark.DONE);
        assertThat(Fx.get(() -> dialog.stage().isShowing())).isFalse();
        assertThat(Fx.get(() -> robot.lookup(".sidebar-status").queryAs(Label.class).getText())).isEqualTo("Connected to " + server.ssh.target());
        assertThat(Files.readString(server.knownHosts)).contains("ssh-ed25519");
        assertThat(Servers.in(desk.dir).list()).extracting(Servers.Server::target).containsExactly(server.ssh.target().toString());
        assertThat(Servers.in(desk.dir).list().get(0).lastDeployed()).isNotNull();
        assertThat(Servers.in(desk.dir).list().get(0).lastConnected()).as("the connect after the deploy").isNotNull();
        // "Connect to remote…" offers it, and choosing it fills the fields.
        ConnectDialog connect = Fx.get(() -> new ConnectDialog(null, RemoteConnection.defaults(), Servers.in(desk.dir).list()));
        Fx.run(() -> connect.remembered.getSelectionModel().select(0));
        assertThat(Fx.get(() -> connect.target.getText())).isEqualTo(server.ssh.target().toString());
        assertThat(Fx.get(() -> connect.remoteDir.getText())).isEqualTo(server.remoteDir.toString());
        assertThat(Fx.get(() -> connect.identity.getText())).isEqualTo(server.ssh.clientKey.toAbsolutePath().toString());

        long deployGap = Fx.get(longest::get) / 1_000_000;

        // Acting on the server: a user added in the Users view logs in there at once.
        Fx.run(() -> main.show("Users"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Fx.userNames(robot).equals(List.of("alice")));
        Thread.sleep(200); // the view is built and shown; from here only the remote operation runs
        Fx.run(() -> {
            last.set(0);
            longest.set(0);
            robot.lookup("#name").queryAs(TextField.class).setText("dora");
            robot.lookup("#password").queryAs(PasswordField.class).setText(PASSWORD);
            robot.lookup("#passwordConfirm").queryAs(PasswordField.class).setText(PASSWORD);
            robot.lookup("#addButton").queryAs(Button.class).fire();
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty() || Fx.userNames(robot).equals(List.of("alice", "dora")));
        assertThat(errors).isEmpty();
        assertThat(login("dora")).startsWith("235");
        assertThat(new org.mailwright.lookup.Passwd(desk.dir).users()).containsExactly("alice");

        long addGap = Fx.get(longest::get) / 1_000_000;
        Fx.run(frames::stop);
        System.out.println("FX thread: longest gap between frames while deploying and connecting " + deployGap
                + " ms; while a user was added and the list read again on the server " + addGap + " ms");
        assertThat(deployGap).as("the FX thread kept drawing while the deploy ran").isLessThan(1000);
        assertThat(addGap).as("the FX thread kept drawing while the remote user add ran").isLessThan(1000);
    }

    /** The wizard's last page: "A server over SSH", the key confirmed, Finish deploys there and does not start an engine here. */
    @Test
    void theWizardEndsWithWhereWillItRun(FxRobot robot) throws Exception {
        RemoteHost server = serverAndDesk();
        java.util.concurrent.atomic.AtomicReference<RemoteConnection> done = new java.util.concurrent.atomic.AtomicReference<>();
        AppContext context = remote.context(desk);
        WizardViewModel model = Fx.get(() -> new WizardViewModel(context, true)); // a re-run: the pages are filled from the configuration
        WizardView view = Fx.get(() -> {
            WizardView v = new WizardView(model, done::set, () -> {});
            Fx.show(remote.stage, v.root());
            return v;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> Fx.get(() -> {
            model.next(); // the DNS page waits for its records
            return model.pageProperty().get() == WizardViewModel.WHERE;
        }));
        assertThat(Fx.get(() -> robot.lookup("#wherePage").query().isVisible())).isTrue();
        assertThat(Fx.get(() -> robot.lookup("#finishButton").query().isVisible())).isTrue();
        Fx.run(() -> model.usualAliases.get(2).wanted.set(true)); // info@, for the admin: it travels with the release
        Fx.run(() -> view.serverChoice.setSelected(true));
        DeployPane pane = view.deployPane;
        fillIn(pane, server);
        Fx.run(() -> robot.lookup("#finishButton").queryAs(Button.class).fire());
        assertThat(Fx.get(() -> model.problemProperty().get())).startsWith("Check the server first");
        Fx.run(pane.checkButton::fire);
        String fingerprint = server.ssh.fingerprint();
        await().atMost(Duration.ofSeconds(30)).until(() -> Fx.get(pane.hostKey::getText).contains(fingerprint));
        Fx.run(() -> pane.compared.setSelected(true));
        Fx.snapshot(remote.stage, "wizard-where.png");
        Fx.run(() -> robot.lookup("#finishButton").queryAs(Button.class).fire());
        await().atMost(Duration.ofSeconds(120)).until(() -> done.get() != null || !Fx.get(() -> model.problemProperty().get()).isEmpty());
        assertThat(Fx.get(() -> model.problemProperty().get())).isEmpty();
        assertThat(done.get().target()).isEqualTo(server.ssh.target().toString());
        assertThat(Fx.get(() -> context.engine().engine())).as("no engine was started on this computer").isNull();
        assertThat(login("alice")).startsWith("235"); // the server runs with the wizard's users
        assertThat(Files.readString(server.remoteDir.resolve("data").resolve("mailwright.conf"))).contains("hostname = \"mail.example.org\"");
        assertThat(Files.readString(server.remoteDir.resolve("data").resolve("aliases"))).isEqualTo("info: alice\n");
    }

    @Test
    void aServerThatDoesNotAnswerIsSaidInWords(FxRobot robot) throws Exception {
        desk = new TestData(tmp.resolve("desk"), "mail.example.org", "example.org", ENGINE);
        MainWindow main = remote.window(desk, "Dashboard");
        Fx.run(main::deployToServer);
        DeployPane pane = Fx.get(() -> main.deployDialog().pane());
        int nobody = TestData.freePort();
        Fx.run(() -> {
            pane.target.setText("root@127.0.12.9:" + nobody);
            pane.knownHosts.setText(tmp.resolve("known_hosts").toString());
            pane.checkButton.fire();
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> !Fx.get(pane.problem::getText).isEmpty());
        assertThat(Fx.get(pane.problem::getText)).contains("127.0.12.9").doesNotContain("Exception");
        assertThat(Fx.get(() -> main.deployDialog().stage().isShowing())).isTrue();
        Fx.run(() -> pane.target.setText("not a target"));
        Fx.run(pane.checkButton::fire);
        assertThat(Fx.get(pane.problem::getText)).contains("not a target");
    }

    /** AUTH PLAIN over STARTTLS on the remote engine's submission port; returns the AUTH reply. */
    private String login(String user) throws Exception {
        return SmtpClient.login(ENGINE, desk.submission, user, PASSWORD);
    }

}
