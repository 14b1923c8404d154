package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.admin.LocalAdmin;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.deploy.RemoteHost;
import org.mailwright.dns.DnsRecord;
import org.mailwright.dns.DnsRecords;
import org.mailwright.testing.TestDns;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * While connected, DNS, Settings and the self-test act on the server: an engine deployed over real OpenSSH (sshd
 * on 127.0.13.2, the engine on 127.0.13.3) whose resolver is a dnsmasq on 127.0.13.4 publishing its records but
 * DMARC; the desk has another host name and a resolver that answers nothing. The DNS view shows the server's
 * records and Check live the server's answers; a Settings change lands in the remote mailwright.conf (comments
 * kept) and the remote engine applies it at once; the self-test runs there. Disconnect brings the desk's back.
 */
@ExtendWith(ApplicationExtension.class)
class RemoteViewsTest {
    private static final String SSHD = "127.0.13.2";
    private static final String ENGINE = "127.0.13.3";
    private static final String DNS = "127.0.13.4";
    private static final String NOBODY = "127.0.13.5:25"; // the self-test's outbound probe: nothing listens

    @RegisterExtension final RemoteDesk remote = new RemoteDesk();
    @TempDir Path tmp;
    private TestDns dns;

    @AfterEach
    void stop() throws Exception {
        if (dns != null) dns.close();
    }

    @Test
    void dnsSettingsAndSelfTestActOnTheServer(FxRobot robot) throws Exception {
        RemoteHost server = remote.server(tmp, SSHD);
        TestData desk = new TestData(tmp.resolve("desk"), "mail.example.org", "example.org", ENGINE);
        for (int i = 1; i <= 8; i++) desk.user("user" + i, "correct horse battery staple");
        desk.config(c -> c.withIp(ENGINE).withIpv6(""));
        dns = TestDns.start(tmp, DNS, TestDns.zone().records(DnsRecords.of(desk.config(), List.of()),
                r -> r.name().startsWith("_dmarc.")));
        try (LocalAdmin here = new LocalAdmin(desk.dir)) {
            here.configSet("outbound.resolver", dns.resolver());
            here.configSet("dns.outbound_probe", NOBODY);
        }
        server.deploy(desk.dir);
        Path remoteConf = server.remoteDir.resolve("data").resolve(ConfigLoader.FILE_NAME);
        Files.writeString(remoteConf, "# the admin's own note, kept by every edit\n" + Files.readString(remoteConf));
        // From here the desk differs: its own host name, and a resolver where nothing answers.
        try (LocalAdmin here = new LocalAdmin(desk.dir)) {
            here.configSet("hostname", "desk.example.org");
            here.configSet("outbound.resolver", TestData.NO_DNS);
        }
        assertThat(rcptReplies(8)).as("the server's default limit lets 8 recipients in").allMatch(r -> r.startsWith("250"));

        MainWindow main = remote.window(desk, "DNS");
        List<String> errors = remote.errors;
        await().atMost(Duration.ofSeconds(30)).until(() -> recordNames(robot).contains("A desk.example.org"));

        Fx.run(() -> main.connect(remote.connection()));
        await().atMost(Duration.ofSeconds(60)).until(() -> !errors.isEmpty() || recordNames(robot).contains("A mail.example.org"));
        assertThat(errors).isEmpty();
        assertThat(recordNames(robot)).doesNotContain("A desk.example.org").contains("MX example.org");
        assertThat(text(robot, "#remoteLabel")).startsWith("Connected to " + server.ssh.target()).doesNotContain("this computer");

        // Check live: the server's resolver answers (the desk's would answer nothing at all).
        Fx.run(() -> robot.lookup("#checkButton").queryAs(Button.class).fire());
        await().atMost(Duration.ofSeconds(60)).until(() -> !errors.isEmpty() || verdicts(robot).containsKey("A mail.example.org"));
        assertThat(errors).isEmpty();
        Map<String, String> verdicts = verdicts(robot);
        assertThat(verdicts).containsEntry("A mail.example.org", "OK").containsEntry("MX example.org", "OK");
        assertThat(verdicts.get("TXT _dmarc.example.org")).startsWith("MISSING");
        assertThat(text(robot, "#statusLabel")).contains("Asked by the server through " + dns.resolver());
        Fx.snapshot(remote.stage, "dns-connected.png");

        // Settings: the server's values; a change lands in its mailwright.conf and its engine applies it at once.
        Fx.run(() -> main.show("Settings"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty() || text(robot, "#statusLabel").startsWith("The settings of the server"));
        assertThat(errors).isEmpty();
        assertThat(Fx.get(() -> robot.lookup("#resolver").queryAs(TextField.class).getText())).isEqualTo(dns.resolver());
        assertThat(Fx.get(() -> robot.lookup("#restartButton").query().isVisible())).isFalse();
        Fx.run(() -> {
            robot.lookup("#maxRecipients").queryAs(TextField.class).setText("3");
            robot.lookup("#saveButton").queryAs(Button.class).fire();
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty() || text(robot, "#statusLabel").startsWith("Saved on the server"));
        assertThat(errors).isEmpty();
        assertThat(text(robot, "#statusLabel")).isEqualTo("Saved on the server — applied live to the running engine.");
        String remoteText = Files.readString(remoteConf);
        assertThat(remoteText).contains("max_recipients = 3").startsWith("# the admin's own note, kept by every edit\n");
        assertThat(ConfigLoader.load(server.remoteDir.resolve("data")).limits().maxRecipients()).isEqualTo(3);
        assertThat(ConfigLoader.load(desk.dir).limits().maxRecipients()).as("the desk is untouched").isNotEqualTo(3);
        List<String> replies = rcptReplies(4);
        assertThat(replies.subList(0, 3)).allMatch(r -> r.startsWith("250"));
        assertThat(replies.get(3)).startsWith("452 4.5.3");
        Fx.snapshot(remote.stage, "settings-connected.png");

        // A rule, the smarthost login and a DKIM key, made on the server through its CLI (the password on stdin).
        String relayPassword = "remote-relay-pass-31";
        Fx.run(() -> {
            robot.lookup("#smarthostUser").queryAs(TextField.class).setText("relay-login");
            robot.lookup("#smarthostPassword").queryAs(TextField.class).setText(relayPassword);
            robot.lookup("#addRuleButton").queryAs(Button.class).fire();
        });
        int lastRule = Fx.get(() -> robot.lookup("#ruleGrid").queryAs(javafx.scene.layout.GridPane.class)
                .getChildren().stream().filter(n -> n.getId() != null && n.getId().startsWith("ruleFor-")).toList().size());
        Fx.run(() -> {
            robot.lookup("#ruleFrom-" + lastRule).queryAs(TextField.class).setText("src:192.0.2.0/24");
            robot.lookup("#ruleFor-" + lastRule).queryAs(TextField.class).setText("any");
            robot.lookup("#saveButton").queryAs(Button.class).fire();
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty() || text(robot, "#statusLabel").startsWith("Saved on the server"));
        assertThat(errors).isEmpty();
        Path remoteData = server.remoteDir.resolve("data");
        Config serverConfig = ConfigLoader.load(remoteData);
        assertThat(serverConfig.outbound().smarthostUser()).isEqualTo("relay-login");
        assertThat(Files.readString(remoteData.resolve(serverConfig.outbound().smarthostPasswordFile())).strip()).isEqualTo(relayPassword);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                remoteData.resolve(serverConfig.outbound().smarthostPasswordFile())))).isEqualTo("rw-------");
        assertThat(serverConfig.matches().get(lastRule - 1).from().word()).isEqualTo("src:192.0.2.0/24");
        assertThat(Files.readString(remoteConf)).doesNotContain(relayPassword).startsWith("# the admin's own note, kept by every edit\n");
        assertThat(Files.readString(remoteData.resolve("log/maillog"))).doesNotContain(relayPassword);
        Fx.run(() -> {
            robot.lookup("#tabs").queryAs(javafx.scene.control.TabPane.class).getSelectionModel().select(3); // Outbound: the keys
            robot.lookup("#newSelector").queryAs(TextField.class).setText("srv2026");
            robot.lookup("#createKeyButton").queryAs(Button.class).fire();
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> !errors.isEmpty() || text(robot, "#dkimStatus").startsWith("Made the key srv2026"));
        assertThat(errors).isEmpty();
        assertThat(remoteData.resolve("dkim/srv2026.key")).exists();
        assertThat(desk.dir.resolve("dkim/srv2026.key")).as("the desk is untouched").doesNotExist();

        // The self-test runs on the server: its name, its resolver, its probe.
        Fx.run(() -> main.show("Dashboard"));
        Fx.run(() -> robot.lookup("#selfTestButton").queryAs(Button.class).fire());
        await().atMost(Duration.ofSeconds(120)).until(() -> !errors.isEmpty() || text(robot, "#selfTestScore").startsWith("Score"));
        assertThat(errors).isEmpty();
        assertThat(text(robot, "#selfTestStatus")).startsWith("On " + server.ssh.target() + ": ").endsWith(" failing.");
        List<String> findings = Fx.get(() -> robot.lookup("#selfTestFindings").queryAs(javafx.scene.layout.VBox.class)
                .lookupAll(".label").stream().map(n -> ((Label) n).getText()).toList());
        assertThat(findings).isNotEmpty();
        assertThat(String.join("\n", findings)).contains(NOBODY).contains("Fix: ");
        Fx.snapshot(remote.stage, "selftest-connected.png");

        // Disconnect: every view shows the desk again.
        Fx.run(main::disconnectRemote);
        Fx.run(() -> main.show("DNS"));
        await().atMost(Duration.ofSeconds(30)).until(() -> recordNames(robot).contains("A desk.example.org"));
        assertThat(recordNames(robot)).doesNotContain("A mail.example.org");
        Fx.run(() -> main.show("Settings"));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestData.NO_DNS.equals(Fx.get(() -> robot.lookup("#resolver").queryAs(TextField.class).getText())));
        assertThat(Fx.get(() -> robot.lookup("#maxRecipients").queryAs(TextField.class).getText())).isNotEqualTo("3");
        assertThat(Fx.get(() -> robot.lookup("#restartButton").query().isVisible())).isTrue();
        Fx.run(() -> main.show("Dashboard"));
        assertThat(text(robot, "#selfTestScore")).isEmpty();
        assertThat(errors).isEmpty();
    }

    /** One transaction on the remote engine's port 25 with {@code n} different local recipients; the RCPT replies. */
    private List<String> rcptReplies(int n) throws Exception {
        int port = ConfigLoader.load(remote.server.remoteDir.resolve("data")).listeners().get(0).port();
        List<String> replies = new ArrayList<>();
        try (SmtpClient c = SmtpClient.connectTo(ENGINE, port)) {
            c.ehlo();
            assertThat(c.cmd("MAIL FROM:<someone@elsewhere.test>")).startsWith("250");
            for (int i = 1; i <= n; i++) replies.add(c.cmd("RCPT TO:<user" + i + "@example.org>"));
            c.cmd("QUIT");
        }
        return replies;
    }

    @SuppressWarnings("unchecked")
    private static List<String> recordNames(FxRobot robot) {
        return Fx.get(() -> robot.lookup("#table").queryAs(TableView.class).getItems().stream()
                .map(r -> ((DnsRecord) r).type() + " " + ((DnsRecord) r).name()).toList());
    }

    /** The Published? column per "TYPE NAME" (empty until checked). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> verdicts(FxRobot robot) {
        return Fx.get(() -> {
            TableView<DnsRecord> t = robot.lookup("#table").queryAs(TableView.class);
            TableColumn<DnsRecord, String> check = (TableColumn<DnsRecord, String>) t.getColumns().stream()
                    .filter(c -> c.getText().equals("Published?")).findFirst().orElseThrow();
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < t.getItems().size(); i++) {
                String v = check.getCellData(i);
                if (v != null) m.put(t.getItems().get(i).type() + " " + t.getItems().get(i).name(), v);
            }
            return m;
        });
    }

    /** The label's text in the view on show (the views built before stay in the scene, hidden). */
    private static String text(FxRobot robot, String query) {
        return Fx.get(() -> robot.lookup(query).queryAll().stream().filter(RemoteViewsTest::shown).findFirst()
                .map(n -> ((Label) n).getText()).orElseThrow(() -> new AssertionError("no " + query + " on show")));
    }

    private static boolean shown(javafx.scene.Node n) {
        for (javafx.scene.Node p = n; p != null; p = p.getParent()) if (!p.isVisible()) return false;
        return true;
    }
}
