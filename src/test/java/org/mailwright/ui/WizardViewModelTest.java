package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.config.Config;
import org.testfx.api.FxToolkit;

/** The wizard's state without its window: each page validates before Next, and nothing is written before Finish. */
class WizardViewModelTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        Fx.patientSetup();
        FxToolkit.registerPrimaryStage(); // background work reports back on the FX thread
    }

    @Test
    void everyPageValidatesBeforeNextAndNothingIsWritten() {
        Path data = dir.resolve("data");
        WizardViewModel m = Fx.get(() -> new WizardViewModel(new AppContext(data), false));
        Fx.run(() -> {
            m.hostname.set("localhost");
            assertThat(m.next()).isFalse();
            assertThat(m.problemProperty().get()).contains("not fully qualified");
            m.hostname.set("mail.example.test");
            m.domains.set("example.test, other.test");
            m.ipv4.set("300.1.1.1");
            assertThat(m.next()).isFalse();
            assertThat(m.problemProperty().get()).contains("not an IPv4 address");
            m.ipv4.set("192.0.2.7");
            m.smtpPort.set("2525");
            m.submissionPort.set("2525");
            assertThat(m.next()).isFalse();
            assertThat(m.problemProperty().get()).contains("used twice");
            m.submissionPort.set("2587");
            assertThat(m.next()).isTrue();

            m.tls.set(SetupPlan.TlsChoice.ACME);
            assertThat(m.next()).isFalse();
            assertThat(m.problemProperty().get()).contains("email");
            m.acmeEmail.set("admin@example.test");
            assertThat(m.next()).isTrue();

            assertThat(m.next()).as("a user is needed").isFalse();
            m.newUser.set("Bad Name");
            m.newPassword.set("Correct-Horse-9");
            assertThat(m.addUser()).contains("may not contain");
            m.newUser.set("alice");
            assertThat(m.addUser()).isNull();
            assertThat(m.admin.get()).isEqualTo("alice");
            m.back();
            assertThat(m.pageProperty().get()).isEqualTo(WizardViewModel.TLS);
        });
        Config draft = Fx.get(m::draftConfig);
        assertThat(draft.domains()).containsExactly("example.test", "other.test");
        assertThat(draft.tls().mode()).isEqualTo(Config.TlsMode.ACME);
        assertThat(draft.tls().acmeEmail()).isEqualTo("admin@example.test");
        assertThat(draft.admin()).isEqualTo("alice");
        assertThat(draft.listeners()).extracting(Config.Listener::port).contains(2525, 2587);
        assertThat(Files.exists(data)).as("nothing is written before Finish").isFalse();
    }
}
