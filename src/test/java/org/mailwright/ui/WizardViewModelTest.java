package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.time.Duration;
import java.util.List;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.lookup.Aliases;
import org.mailwright.testing.TestData;
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
            m.newPasswordConfirm.set("Correct-Horse-9");
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

    /**
     * Issue 15: the Aliases page offers postmaster, abuse and info for the admin; what is checked is written to
     * DATA/aliases on Finish (other lines kept), and a re-run shows it checked and deletes it when unchecked.
     */
    @Test
    void theAliasesPageWritesTheCheckedAliasesForTheAdmin() throws Exception {
        TestData data = new TestData(dir.resolve("aliases"), "mail.example.test", "example.test")
                .user("alice", "Correct-Horse-9").user("bob", "Correct-Horse-9");
        data.config(c -> c.withAdmin("alice"));
        Path file = data.dir.resolve(Aliases.FILE_NAME);
        Files.writeString(file, "# by hand\nsales: bob\n");
        AppContext context = Fx.get(() -> new AppContext(data.dir));
        WizardViewModel m = Fx.get(() -> new WizardViewModel(context, true));
        WizardViewModel.UsualAlias postmaster = m.usualAliases.get(0), abuse = m.usualAliases.get(1), info = m.usualAliases.get(2);
        assertThat(m.usualAliases).extracting(a -> a.name).containsExactly("postmaster", "abuse", "info");
        Fx.run(() -> {
            assertThat(m.usualAliases).allSatisfy(a -> {
                assertThat(a.wanted.get()).as("nothing is written unless asked").isFalse();
                assertThat(a.target.get()).isEqualTo("alice");
            });
            m.admin.set("bob");
            assertThat(info.target.get()).as("the target follows the admin until it is changed").isEqualTo("bob");
            abuse.target.set("alice, reports@elsewhere.test");
            m.admin.set("alice");
            assertThat(abuse.target.get()).isEqualTo("alice, reports@elsewhere.test");

            info.wanted.set(true);
            info.target.set("carol");
            assertThat(m.check(WizardViewModel.ALIASES)).startsWith("info@: \"carol\" is neither a user nor an alias here");
            info.target.set("alice");
            abuse.wanted.set(true);
            assertThat(m.check(WizardViewModel.ALIASES)).isNull();
        });
        assertThat(Fx.get(m::summaryText)).contains("Aliases:    abuse → alice, reports@elsewhere.test; info → alice");
        Fx.get(m::plan).apply(data.dir, context.certificates());
        assertThat(Files.readString(file)).isEqualTo("# by hand\nsales: bob\nabuse: alice, reports@elsewhere.test\ninfo: alice\n");

        WizardViewModel again = Fx.get(() -> new WizardViewModel(context, true));
        Fx.run(() -> {
            assertThat(again.usualAliases.get(1).wanted.get()).isTrue();
            assertThat(again.usualAliases.get(1).target.get()).isEqualTo("alice, reports@elsewhere.test");
            again.usualAliases.get(1).wanted.set(false);
            again.usualAliases.get(2).target.set("bob");
        });
        Fx.get(again::plan).apply(data.dir, context.certificates());
        assertThat(Files.readString(file)).isEqualTo("# by hand\nsales: bob\ninfo: bob\n");
        Fx.run(context::close);
    }

    /** Issue 12: a re-run once rebuilt the config with a short constructor and lost [dns], extra_names, the ACME CA. */
    @Test
    void aRerunKeepsEveryKeyItDoesNotShow() throws Exception {
        TestData data = new TestData(dir.resolve("rerun"), "mx.example.test", "example.test").user("alice", "Correct-Horse-9");
        data.config(c -> c.withAdmin("alice")
                .withTls(c.tls().withExtraNames(List.of("mta-sts.example.test")).withAcmeDirectory("https://127.0.0.1:14000/dir")
                        .withAcmeTrust("tls/pebble.pem").withAcmeEmail("ops@example.test"))
                .withLimits(c.limits().withMaxRecipients(50).withSoftErrorLimit(4).withIdleTimeout(Duration.ofMinutes(2)))
                .withDns(c.dns().withSpfAll(Config.SpfAll.SOFTFAIL).withDmarcReport("dmarc@example.test").withBlocklists(List.of("bl.example.test")))
                .withSubmission(c.submission().withSendAsAnyone(List.of("alice")))
                .withQueue(c.queue().withExpire(Duration.ofDays(2)))
                .withMatches(List.of(Config.MatchRule.of("src:127.0.0.0/8", "any", Config.Action.RELAY),
                        Config.MatchRule.of("any", "rcpt:boss@example.test", Config.Action.REJECT),
                        Config.MatchRule.of("any", "local", Config.Action.DELIVER)))
                .withListeners(List.of(c.listeners().get(0), c.listeners().get(1).withAddress("::1"), c.listeners().get(2))));
        Config before = ConfigLoader.load(data.dir);

        WizardViewModel m = Fx.get(() -> new WizardViewModel(new AppContext(data.dir), true));
        assertThat(Fx.get(m::draftConfig)).as("a re-run that changes nothing writes the same config").isEqualTo(before);

        int port = TestData.freePort();
        Fx.run(() -> {
            m.hostname.set("mail.example.test");
            m.smtpPort.set(String.valueOf(port));
        });
        Config changed = Fx.get(m::draftConfig);
        assertThat(changed).isEqualTo(before.withHostname("mail.example.test").withListeners(List.of(
                before.listeners().get(0).withPort(port), before.listeners().get(1), before.listeners().get(2))));
    }
}
