package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.dns.DnsRecord;
import org.mailwright.lookup.Passwd;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The user's path: the wizard on an empty data directory (self-signed, loopback high ports, one user), Finish
 * writes config and passwd and starts the engine; then swaks sends mail and the Maillog and Queue views show it.
 */
@ExtendWith(ApplicationExtension.class)
class SetupWizardEndToEndTest {
    static {
        Fx.patientSetup();
    }

    private static final Duration SLOW = Duration.ofSeconds(90);
    private static final String PASSWORD = "Correct-Horse-Battery-9";
    private Path data;
    private MailwrightApp app;
    private Stage stage;

    @Start
    void start(Stage stage) throws IOException {
        data = Files.createTempDirectory("mailwright-wizard").resolve("data");
        app = new MailwrightApp(data);
        this.stage = stage;
        app.start(stage);
    }

    @AfterEach
    void stop() {
        Fx.run(() -> app.stop());
    }

    private static void set(FxRobot robot, String id, String text) {
        Fx.run(() -> robot.lookup(id).queryAs(TextField.class).setText(text));
    }

    private static Button button(FxRobot robot, String text) {
        return robot.lookup((Node n) -> n instanceof Button b && text.equals(b.getText()) && b.isVisible()).queryButton();
    }

    @Test
    void wizardWritesTheSetupStartsTheEngineAndTheViewsFollowTheMail(FxRobot robot) throws Exception {
        int smtp = TestData.freePort();
        int submission = TestData.freePort();
        int smtps = TestData.freePort();

        // 1 Host: a bad hostname is refused before Next
        robot.clickOn("#hostname").eraseText(40).write("mail");
        robot.clickOn("#nextButton");
        assertThat(Fx.get(() -> app.context().configured())).isFalse();
        assertThat(robot.lookup("#problemLabel").queryLabeled().getText()).contains("not fully qualified");
        set(robot, "#hostname", "mail.example.test");
        set(robot, "#domains", "example.test");
        Fx.run(() -> robot.lookup("#ipv4").<javafx.scene.control.ComboBox<String>>query().getEditor().setText("192.0.2.10"));
        set(robot, "#bind", "127.0.0.1");
        set(robot, "#smtpPort", String.valueOf(smtp));
        set(robot, "#submissionPort", String.valueOf(submission));
        set(robot, "#smtpsPort", String.valueOf(smtps));
        robot.clickOn("#nextButton");

        // 2 TLS: self-signed is the default
        Awaitility.await().atMost(SLOW).until(() -> Fx.get(() -> robot.lookup("#tlsPage").query().isVisible()));
        robot.clickOn("#selfSignedChoice");
        robot.clickOn("#nextButton");

        // 3 Users: Next needs a user; a weak password is refused
        Awaitility.await().atMost(SLOW).until(() -> Fx.get(() -> robot.lookup("#usersPage").query().isVisible()));
        robot.clickOn("#nextButton");
        assertThat(robot.lookup("#problemLabel").queryLabeled().getText()).contains("at least one user");
        robot.clickOn("#newUser").write("alice");
        robot.clickOn("#newPassword").write("short");
        robot.clickOn("#newPasswordConfirm").write("short");
        robot.clickOn("#addUserButton");
        assertThat(Fx.get(() -> app.context().configured())).isFalse();
        assertThat(robot.lookup("#problemLabel").queryLabeled().getText()).contains("shorter than 8");
        Fx.run(() -> robot.lookup("#newPassword").queryAs(TextField.class).setText(PASSWORD));
        Fx.run(() -> robot.lookup("#newPasswordConfirm").queryAs(TextField.class).setText(PASSWORD));
        robot.clickOn("#addUserButton");
        robot.clickOn("#nextButton");

        // 4 Aliases: postmaster, abuse and info are offered for the admin; info is checked
        Awaitility.await().atMost(SLOW).until(() -> Fx.get(() -> robot.lookup("#aliasesPage").query().isVisible()));
        assertThat(Fx.get(() -> robot.lookup("#aliasTarget-info").queryAs(TextField.class).getText()))
                .isEqualTo("alice");
        robot.clickOn("#alias-info");
        Fx.snapshot(stage, "wizard-aliases.png");
        robot.clickOn("#nextButton");

        // 5 DNS: records with the DKIM key; "Copy all as zone file" puts the zone on the clipboard
        Awaitility.await().atMost(SLOW).until(() -> Fx.get(() -> robot.lookup("#dnsTable").<TableView<DnsRecord>>query().getItems().size()) >= 6);
        robot.clickOn("#copyZoneButton");
        String zone = Fx.get(() -> Clipboard.getSystemClipboard().getString());
        assertThat(zone).contains("example.test.\t3600\tIN\tMX\t10 mail.example.test.")
                .contains("mail.example.test.\t3600\tIN\tA\t192.0.2.10")
                .contains("._domainkey.example.test.").contains("v=DKIM1; k=rsa; p=")
                .contains("_dmarc.example.test.");
        assertThat(Files.exists(data)).as("nothing is written before Finish").isFalse();
        robot.clickOn("#nextButton");

        // 6 Summary
        Awaitility.await().atMost(SLOW).until(() -> Fx.get(() -> robot.lookup("#summaryPage").query().isVisible()));
        assertThat(robot.lookup("#summary").queryTextInputControl().getText()).contains("mail.example.test").contains("alice");
        assertThat(Fx.get(() -> robot.lookup("#finishButton").query().isVisible())).as("Finish is on the last page").isFalse();
        robot.clickOn("#nextButton");

        // 7 Where will it run? This computer (the default) → Finish
        Awaitility.await().atMost(SLOW).until(() -> Fx.get(() -> robot.lookup("#wherePage").query().isVisible()));
        assertThat(Fx.get(() -> robot.lookup("#whereHere").queryAs(javafx.scene.control.RadioButton.class).isSelected())).isTrue();
        assertThat(Fx.get(() -> Fx.shown(robot.lookup("#deploy-target").query()))).as("no server fields for this computer").isFalse();
        robot.clickOn("#finishButton");
        Awaitility.await().atMost(SLOW).until(() -> Fx.get(() -> app.context().engine().state()) == EngineHost.State.RUNNING);

        Config c = ConfigLoader.load(data);
        assertThat(c.hostname()).isEqualTo("mail.example.test");
        assertThat(c.domains()).containsExactly("example.test");
        assertThat(c.admin()).isEqualTo("alice");
        assertThat(c.listeners()).extracting(Config.Listener::port).containsExactly(smtp, submission, smtps);
        assertThat(new Passwd(data).verify("alice", PASSWORD)).isTrue();
        assertThat(Files.readString(data.resolve("aliases"))).isEqualTo("info: alice\n");
        assertThat(Files.exists(data.resolve("tls/fullchain.pem"))).isTrue();
        try (var keys = Files.list(data.resolve("dkim"))) {
            assertThat(keys.map(p -> p.getFileName().toString())).singleElement().asString().endsWith(".key");
        }

        // Mail to a local user: its delivery line shows in the Maillog view
        Awaitility.await().atMost(SLOW).until(() -> robot.lookup("#nav-maillog").tryQuery().isPresent());
        robot.clickOn("#nav-maillog");
        Peers.Result local = Peers.swaks("--server", "127.0.0.1:" + smtp, "--from", "someone@elsewhere.test",
                "--to", "alice@example.test", "--header", "Subject: from the wizard test");
        assertThat(local.exit()).as(local.out()).isZero();
        MaillogView maillog = Fx.get(() -> app.mainWindow().maillogView());
        try {
            Awaitility.await().atMost(SLOW).until(() -> Fx.get(() -> maillog.table().getItems().stream().anyMatch(r ->
                    r.isDelivery() && r.result() == LogRow.Result.OK && r.raw().contains("to=<alice@example.test>"))));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no delivery line in the Maillog view (" + Fx.get(() -> maillog.table().getItems().size())
                    + " rows shown); the maillog file says:\n" + Files.readString(data.resolve("log/maillog")), e);
        }

        // Mail to a remote domain waits in the queue (no relay yet): the Queue view lists it; Delete removes it
        Peers.Result remote = Peers.swaks("--server", "127.0.0.1:" + submission, "--tls", "--auth", "PLAIN",
                "--auth-user", "alice", "--auth-password", PASSWORD, "--from", "alice@example.test",
                "--to", "someone@remote.invalid", "--header", "Subject: stuck");
        assertThat(remote.exit()).as(remote.out()).isZero();
        robot.clickOn("#nav-queue");
        QueueView queue = Fx.get(() -> app.mainWindow().queueView());
        TableView<QueueRow> table = robot.lookup("#table").match(n -> n.isVisible() && ((TableView<?>) n).getColumns().size() == 7).query();
        Awaitility.await().atMost(SLOW).until(() -> Fx.get(() -> table.getItems().stream()
                .anyMatch(r -> r.to().equals("someone@remote.invalid"))));
        assertThat(queue).isNotNull();
        Fx.run(() -> table.getSelectionModel().select(0));
        Button delete = robot.lookup("#deleteButton").queryButton();
        Awaitility.await().atMost(SLOW).until(() -> Fx.get(() -> !delete.isDisabled()));
        robot.clickOn(delete);
        Awaitility.await().atMost(SLOW).until(() -> robot.lookup((Node n) -> n instanceof Button b && "OK".equals(b.getText())).tryQuery().isPresent());
        robot.clickOn(button(robot, "OK"));
        Awaitility.await().atMost(SLOW).until(() -> Fx.get(() -> table.getItems().isEmpty()));
        java.util.List<org.mailwright.control.EnvelopeInfo> left = app.context().queue(org.mailwright.control.QueueControl::list);
        assertThat(left).isEmpty();
    }
}
