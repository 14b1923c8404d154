package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.admin.LocalAdmin;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.deploy.RemoteHost;
import org.mailwright.dns.DnsRecords;
import org.mailwright.testing.TestDns;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.TestData;
import org.mailwright.tls.Pebble;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * Let's Encrypt from the TLS view while connected runs on the server, where its port 80 is: Pebble on 127.0.13.54
 * validates HTTP-01 at the deployed engine's address (127.0.13.51, through OpenSSH on 127.0.13.50) as dnsmasq on
 * 127.0.13.52 names it; the view shows the order's steps as they come and the remote engine serves the certificate.
 */
@ExtendWith(ApplicationExtension.class)
class RemoteTlsViewTest {
    private static final String ENGINE = "127.0.13.51";

    @RegisterExtension final RemoteDesk remote = new RemoteDesk();
    @TempDir Path tmp;
    private TestDns dns;
    private Pebble pebble;

    @AfterEach
    void stop() throws Exception {
        if (pebble != null) pebble.close();
        if (dns != null) dns.close();
    }

    @Test
    void letsEncryptRunsOnTheServerWithItsStepsShown(FxRobot robot) throws Exception {
        RemoteHost server = remote.server(tmp, "127.0.13.50");
        TestData desk = new TestData(tmp.resolve("desk"), "mail.example.org", "example.org", ENGINE);
        desk.config(c -> c.withIp(ENGINE).withIpv6(""));
        dns = TestDns.start(tmp, "127.0.13.52", TestDns.zone().records(DnsRecords.of(desk.config(), List.of()), r -> false));
        pebble = Pebble.start(tmp.resolve("pebble"), "127.0.13.54", TestData.freePort(), dns.resolver());
        Files.copy(pebble.caPem, desk.dir.resolve("tls/acme-trust.pem"));
        try (LocalAdmin here = new LocalAdmin(desk.dir)) {
            here.configSet("tls.acme_directory", pebble.directory());
            here.configSet("tls.acme_http_port", String.valueOf(pebble.httpPort));
            here.configSet("tls.acme_trust", "tls/acme-trust.pem");
        }
        server.deploy(desk.dir);
        try (LocalAdmin here = new LocalAdmin(desk.dir)) {
            here.configSet("hostname", "desk.example.org");
        }

        MainWindow main = remote.window(desk, "TLS");
        AppContext context = remote.context;
        List<String> errors = remote.errors;
        List<String> shown = Collections.synchronizedList(new ArrayList<>());
        Fx.run(() -> robot.lookup("#progressLabel").queryAs(Label.class).textProperty().addListener((o, a, b) -> shown.add(b)));
        Fx.run(() -> main.connect(remote.connection()));
        // The desk's own certificate names mail.example.org too: wait for the connection itself.
        await().atMost(Duration.ofSeconds(60)).until(() -> !errors.isEmpty() || Fx.get(() -> context.admin() instanceof org.mailwright.admin.RemoteAdmin));
        await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty() || text(robot, "#certificateLabel").contains("mail.example.org"));
        assertThat(errors).isEmpty();

        Fx.run(() -> robot.lookup("#acmeButton").queryAs(Button.class).fire());
        await().atMost(Duration.ofSeconds(10)).until(() -> Fx.get(() -> robot.lookup("#actions").query().isDisabled()));
        await().atMost(Duration.ofSeconds(240)).until(() -> !errors.isEmpty() || !Fx.get(() -> robot.lookup("#actions").query().isDisabled()));
        assertThat(errors).isEmpty();
        assertThat(shown).contains("Let's Encrypt on the server…");
        assertThat(text(robot, "#progressLabel")).as("steps shown: " + shown).isEqualTo("Let's Encrypt issued a certificate; the server uses it.");
        assertThat(shown).anyMatch(s -> s.contains("Answering the HTTP-01 challenge for mail.example.org"));
        await().atMost(Duration.ofSeconds(30)).until(() -> text(robot, "#certificateLabel").contains("Pebble Intermediate CA"));
        assertThat(ConfigLoader.load(server.remoteDir.resolve("data")).tls().mode()).isEqualTo(Config.TlsMode.ACME);
        assertThat(ConfigLoader.load(desk.dir).tls().mode()).as("the desk is untouched").isEqualTo(Config.TlsMode.SELF_SIGNED);
        await().atMost(Duration.ofSeconds(30)).until(() -> servedIssuer(desk).startsWith("CN=Pebble Intermediate CA"));
    }

    private static String servedIssuer(TestData desk) throws Exception {
        try (SmtpClient c = SmtpClient.connectTo(ENGINE, desk.smtp)) {
            c.ehlo();
            assertThat(c.startTls()).startsWith("220");
            return ((X509Certificate) c.sslSocket().getSession().getPeerCertificates()[0]).getIssuerX500Principal().getName();
        }
    }

    private static String text(FxRobot robot, String query) {
        return Fx.get(() -> robot.lookup(query).queryAs(Label.class).getText());
    }
}
