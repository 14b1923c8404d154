package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.admin.LocalAdmin;
import org.mailwright.deploy.RemoteHost;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * While connected, the Users view and the Dashboard act on the server: an engine deployed over real OpenSSH (sshd
 * on 127.0.7.32, the engine on 127.0.7.33); a user added in the Users view logs in at once with AUTH PLAIN over
 * STARTTLS on the remote engine; the Dashboard shows the remote status; Disconnect brings the local users back.
 */
@ExtendWith(ApplicationExtension.class)
class RemoteUsersViewTest {
    private static final String ENGINE = "127.0.7.33";
    private static final String PASSWORD = "correct horse battery staple";

    @RegisterExtension final RemoteDesk remote = new RemoteDesk();
    @TempDir Path tmp;
    private TestData desk;

    @Test
    void aUserAddedWhileConnectedLogsInOnTheServer(FxRobot robot) throws Exception {
        RemoteHost server = remote.server(tmp, "127.0.7.32");
        desk = new TestData(tmp.resolve("desk"), "mail.example.org", "example.org", ENGINE);
        desk.user("alice", PASSWORD);
        server.deploy(desk.dir);
        // From here the desk and the server differ: a user and a host name only the desk has.
        try (LocalAdmin here = new LocalAdmin(desk.dir)) {
            here.userAdd("lars", PASSWORD);
            here.configSet("hostname", "desk.example.org");
        }
        assertThat(login("dora")).startsWith("535");

        MainWindow main = remote.window(desk, "Users");
        List<String> errors = remote.errors;
        await().atMost(Duration.ofSeconds(30)).until(() -> Fx.userNames(robot).equals(List.of("alice", "lars")));
        assertThat(text(robot, "#whereLabel")).isEqualTo("On this computer");
        assertThat(Fx.get(() -> robot.lookup("#remoteBar").query().isVisible())).isFalse();

        Fx.run(() -> main.connect(remote.connection()));
        await().atMost(Duration.ofSeconds(60)).until(() -> !errors.isEmpty() || Fx.userNames(robot).equals(List.of("alice")));
        assertThat(errors).isEmpty();
        assertThat(text(robot, ".sidebar-status")).isEqualTo("Connected to " + server.ssh.target());
        assertThat(text(robot, "#remoteLabel")).startsWith("Connected to " + server.ssh.target());
        assertThat(text(robot, "#whereLabel")).isEqualTo("On " + server.ssh.target());

        // Added in the view, so on the server: the remote engine lets dora log in at once.
        Fx.run(() -> {
            robot.lookup("#name").queryAs(TextField.class).setText("dora");
            robot.lookup("#password").queryAs(PasswordField.class).setText(PASSWORD);
            robot.lookup("#passwordConfirm").queryAs(PasswordField.class).setText(PASSWORD);
            robot.lookup("#addButton").queryAs(Button.class).fire();
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty() || Fx.userNames(robot).equals(List.of("alice", "dora")));
        assertThat(errors).isEmpty();
        assertThat(text(robot, "#statusLabel")).isEqualTo("Added dora.");
        assertThat(login("dora")).startsWith("235");
        Fx.snapshot(remote.stage, "users-connected.png");
        assertThat(new org.mailwright.lookup.Passwd(desk.dir).users()).containsExactly("alice", "lars");

        // A failure on the server is said in words where the user looks.
        Fx.run(() -> {
            robot.lookup("#name").queryAs(TextField.class).setText("bob");
            robot.lookup("#password").queryAs(PasswordField.class).setText("short");
            robot.lookup("#passwordConfirm").queryAs(PasswordField.class).setText("short");
            robot.lookup("#addButton").queryAs(Button.class).fire();
        });
        assertThat(text(robot, "#statusLabel")).isNotEmpty().doesNotContain("Exception");

        // The Aliases view acts on the server too: the alias lands in the server's DATA/aliases, not the desk's.
        Fx.run(() -> main.show("Aliases"));
        assertThat(shownText(robot, "#whereLabel")).isEqualTo("On " + server.ssh.target());
        await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty() || Fx.get(() -> ((Label) Fx.<TableView<?>>shown(robot, "#table")
                .getPlaceholder()).getText()).startsWith("No aliases yet"));
        Fx.run(() -> {
            Fx.<TextField>shown(robot, "#name").setText("info");
            Fx.<TextField>shown(robot, "#targets").setText("dora, friend@elsewhere.test");
            Fx.<Button>shown(robot, "#addButton").fire();
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty() || shownText(robot, "#statusLabel").startsWith("Added info"));
        assertThat(errors).isEmpty();
        assertThat(java.nio.file.Files.readString(server.remoteDir.resolve("data").resolve("aliases"))).isEqualTo("info: dora, friend@elsewhere.test\n");
        assertThat(desk.dir.resolve("aliases")).doesNotExist();
        await().atMost(Duration.ofSeconds(30)).until(() -> Fx.get(() -> Fx.<TableView<AliasesViewModel.AliasRow>>shown(robot, "#table")
                .getItems().stream().map(AliasesViewModel.AliasRow::kind).toList()).equals(List.of("all domains, forwards outside")));
        Fx.snapshot(remote.stage, "aliases-connected.png");

        Fx.run(() -> main.show("Dashboard"));
        await().atMost(Duration.ofSeconds(30)).until(() -> text(robot, "#hostLabel").equals("mail.example.org"));
        assertThat(text(robot, "#stateLabel")).isEqualTo("Running");
        assertThat(text(robot, "#remoteDetailLabel")).startsWith("on " + server.ssh.target() + " — 0 messages in the queue");
        assertThat(text(robot, "#certLabel")).contains("days left");
        Fx.snapshot(remote.stage, "dashboard-connected.png");

        Fx.run(() -> main.show("TLS"));
        await().atMost(Duration.ofSeconds(30)).until(() -> text(robot, "#certificateLabel").contains("mail.example.org"));
        assertThat(text(robot, "#certificateLabel")).contains("Days left:");

        Fx.run(main::disconnectRemote);
        assertThat(text(robot, ".sidebar-status")).startsWith("Engine: ");
        assertThat(Fx.get(() -> robot.lookup("#remoteBar").query().isVisible())).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> text(robot, "#hostLabel").equals("desk.example.org"));
        Fx.run(() -> main.show("Users"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Fx.userNames(robot).equals(List.of("alice", "lars")));
        assertThat(text(robot, "#whereLabel")).isEqualTo("On this computer");
        assertThat(errors).isEmpty();
    }

    /** AUTH PLAIN over STARTTLS on the remote engine's submission port; returns the AUTH reply. */
    private String login(String user) throws Exception {
        return SmtpClient.login(ENGINE, desk.submission, user, PASSWORD);
    }


    private static String text(FxRobot robot, String query) {
        return Fx.get(() -> robot.lookup(query).queryAs(Label.class).getText());
    }

    private static String shownText(FxRobot robot, String query) {
        return Fx.get(() -> Fx.<Label>shown(robot, query).getText());
    }
}
