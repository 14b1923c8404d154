package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.admin.LocalAdmin;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.testing.TestData;
import org.mailwright.testing.TestDns;
import org.mailwright.tls.Pebble;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Issue 14, the wizard's TLS page on a re-run: the certificate in use is kept unless replacing it is confirmed
 * (Cancel the default), and Let's Encrypt chosen there is asked for on Finish — Pebble on 127.0.24.1 validating
 * HTTP-01 at the engine's address 127.0.24.3 as dnsmasq on 127.0.24.2 names it — with its steps shown.
 */
@ExtendWith(ApplicationExtension.class)
class WizardTlsTest {
    static {
        Fx.patientSetup();
    }

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String HOST = "mail.wizard.test";
    private static final String ENGINE = "127.0.24.3";
    @TempDir Path tmp;
    private Stage stage;
    private AppContext context;
    private TestDns dns;
    private Pebble pebble;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void stop() throws Exception {
        if (context != null) Fx.run(context::close);
        if (pebble != null) pebble.close();
        if (dns != null) dns.close();
    }

    @Test
    void aRerunKeepsTheCertificateInUseUnlessReplacingItIsConfirmed(FxRobot robot) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), HOST, "wizard.test").user("alice", "correct horse battery");
        byte[] before = Files.readAllBytes(d.dir.resolve("tls/fullchain.pem"));
        WizardViewModel model = show(d, () -> { });
        Fx.run(model::next);
        await().atMost(WAIT).until(() -> Fx.get(() -> robot.lookup("#tlsPage").query().isVisible()));

        RadioButton keep = robot.lookup("#keepChoice").queryAs(RadioButton.class);
        assertThat(Fx.get(() -> keep.isVisible() && keep.isSelected())).as("kept by default").isTrue();
        assertThat(Fx.get(keep::getText)).startsWith("Keep the certificate in use: " + HOST + ", self-signed, ");
        assertThat(text(robot, "#replaceNote")).endsWith("stays.");

        robot.clickOn("#selfSignedChoice");
        assertThat(text(robot, "#replaceNote")).contains("is replaced on Finish by a new self-signed one");
        Fx.snapshot(stage, "wizard-tls-rerun.png");
        robot.clickOn("#nextButton");
        DialogPane dialog = dialog(robot);
        assertThat(Fx.get(dialog::getHeaderText)).isEqualTo("Replace the certificate in use?");
        assertThat(Fx.get(() -> ((Button) dialog.lookupButton(ButtonType.CANCEL)).isDefaultButton())).isTrue();
        await().atMost(WAIT).until(() -> Fx.get(() -> dialog.lookupButton(ButtonType.CANCEL).isFocused()));
        robot.type(KeyCode.ENTER); // Cancel: still on the TLS page
        await().atMost(WAIT).until(() -> robot.lookup(".dialog-pane").tryQuery().isEmpty());
        assertThat(Fx.get(() -> model.pageProperty().get())).isEqualTo(WizardViewModel.TLS);

        robot.clickOn("#keepChoice");
        robot.clickOn("#nextButton");
        await().atMost(WAIT).until(() -> Fx.get(() -> model.pageProperty().get()) == WizardViewModel.USERS);
        assertThat(robot.lookup(".dialog-pane").tryQuery()).as("keeping asks nothing").isEmpty();
        SetupPlan plan = Fx.get(model::plan);
        assertThat(plan.config().tls().mode()).isEqualTo(Config.TlsMode.SELF_SIGNED);
        plan.apply(d.dir, Fx.get(() -> context.certificates()));
        assertThat(Files.readAllBytes(d.dir.resolve("tls/fullchain.pem"))).as("the certificate in use stays").isEqualTo(before);
    }

    @Test
    void letsEncryptChosenInTheWizardIsAskedForOnFinishWithItsSteps(FxRobot robot) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), HOST, "wizard.test", ENGINE).user("alice", "correct horse battery");
        dns = TestDns.start(tmp.resolve("dns"), "127.0.24.2", TestDns.zone().local("wizard.test").host(HOST, ENGINE));
        pebble = Pebble.start(tmp.resolve("pebble"), "127.0.24.1", TestData.freePort(), dns.resolver());
        Files.copy(pebble.caPem, d.dir.resolve("tls/acme-trust.pem"));
        try (LocalAdmin admin = new LocalAdmin(d.dir)) { // the CA the page does not show: kept by a re-run
            admin.configSet("tls.acme_directory", pebble.directory());
            admin.configSet("tls.acme_http_port", String.valueOf(pebble.httpPort));
            admin.configSet("tls.acme_trust", "tls/acme-trust.pem");
        }
        AtomicBoolean finished = new AtomicBoolean();
        WizardViewModel model = show(d, () -> finished.set(true));
        Fx.run(model::next);
        await().atMost(WAIT).until(() -> Fx.get(() -> robot.lookup("#tlsPage").query().isVisible()));
        robot.clickOn("#acmeChoice");
        Fx.run(() -> model.acmeEmail.set("postmaster@wizard.test"));
        robot.clickOn("#nextButton");
        DialogPane dialog = dialog(robot);
        assertThat(Fx.get(dialog::getContentText)).contains("is replaced when Let's Encrypt issues the new one on Finish");
        robot.clickOn(Fx.get(() -> (Button) dialog.lookupButton(ButtonType.OK)));
        await().atMost(WAIT).until(() -> Fx.get(() -> model.pageProperty().get()) == WizardViewModel.USERS);
        Fx.run(model::next); // Aliases
        Fx.run(model::next); // DNS: the records need the DKIM key
        await().atMost(WAIT).until(() -> Fx.get(model::next)); // Summary
        assertThat(Fx.get(() -> model.summary.get())).contains("Finish asks for it and shows each step");
        Fx.run(model::next); // Where: this computer
        robot.clickOn("#finishButton");
        await().atMost(Duration.ofSeconds(240)).until(() -> finished.get() || !Fx.get(() -> model.problemProperty().get()).isEmpty());
        assertThat(Fx.get(() -> model.problemProperty().get())).isEmpty();
        Fx.snapshot(stage, "wizard-acme-steps.png");
        assertThat(Fx.get(() -> model.acmeSteps.steps().stream().map(AcmeSteps.Step::line).toList()))
                .hasSize(5).allMatch(l -> l.startsWith("✓"))
                .anyMatch(l -> l.startsWith("✓  Challenge reachable on port " + pebble.httpPort + " — Answering the HTTP-01 challenge for " + HOST));
        assertThat(ConfigLoader.load(d.dir).tls().mode()).isEqualTo(Config.TlsMode.ACME);
        assertThat(Fx.get(() -> context.certificates().current(ConfigLoader.load(d.dir), d.dir)).orElseThrow().issuer())
                .contains("Pebble");
        assertThat(Fx.get(() -> context.engine().state())).isEqualTo(EngineHost.State.RUNNING);
    }

    @Test
    void aFailedStepIsNamedWithItsReasonInWords() {
        AcmeSteps steps = new AcmeSteps();
        steps.start();
        steps.heard("Contacting the ACME server https://acme-v02.api.letsencrypt.org/directory");
        steps.heard("Ordering a certificate for mail.example.org");
        steps.heard("Answering the HTTP-01 challenge for mail.example.org on port 80");
        String said = steps.failed("the CA could not reach http://mail.example.org/.well-known/acme-challenge/ (Connection refused): "
                + "port 80 is closed or forwarded elsewhere — open port 80 in the firewall and forward it to this host");
        assertThat(said).startsWith("Challenge reachable on port 80 failed: the CA could not reach").contains("port 80 is closed");
        assertThat(steps.steps().stream().map(s -> s.state()).toList()).containsExactly(AcmeSteps.State.DONE, AcmeSteps.State.DONE,
                AcmeSteps.State.FAILED, AcmeSteps.State.WAITING, AcmeSteps.State.WAITING);
    }

    private WizardViewModel show(TestData d, Runnable finished) {
        return Fx.get(() -> {
            context = new AppContext(d.dir);
            WizardViewModel m = new WizardViewModel(context, true);
            Scene scene = new Scene(new WizardView(m, c -> finished.run(), null).root(), 1024, 700);
            scene.getStylesheets().add(Views.stylesheet());
            stage.setScene(scene);
            stage.show();
            return m;
        });
    }

    private static DialogPane dialog(FxRobot robot) {
        await().atMost(WAIT).until(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        return robot.lookup(".dialog-pane").queryAs(DialogPane.class);
    }

    private static String text(FxRobot robot, String query) {
        return Fx.get(() -> robot.lookup(query).queryAs(Label.class).getText());
    }

}
