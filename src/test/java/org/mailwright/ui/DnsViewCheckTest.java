package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.config.Config;
import org.mailwright.dns.DnsRecords;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.mailwright.testing.TestDns;

/**
 * The DNS view's "Copy all as zone file", and its "Check live" against a real DNS server (dnsmasq) that publishes all
 * but the DMARC record.
 */
@ExtendWith(ApplicationExtension.class)
class DnsViewCheckTest {
    static {
        Fx.patientSetup();
    }

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void checkMarksPublishedRecordsOkAndTheMissingOneMissing(FxRobot robot, @TempDir Path tmp) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), "mail.example.test", "example.test").user("alice", "correct horse 1");
        d.config(c -> c.withIp("127.0.5.10").withIpv6(""));
        DnsRecords wanted = DnsRecords.of(d.config(), List.of());
        try (TestDns dns = TestDns.start(tmp, TestDns.zone().records(wanted, r -> r.name().startsWith("_dmarc.")));
             AppContext context = new AppContext(d.dir)) {
            d.config(c -> TestData.withOutbound(c, new Config.Outbound(dns.resolver(), 25, Config.OutboundTls.OPPORTUNISTIC, "", "", "")));
            DnsViewModel model = new DnsViewModel(context);
            Fx.run(() -> Fx.show(stage, new DnsView(model).root()));
            await().atMost(Duration.ofSeconds(30)).until(() -> Fx.get(() -> model.records().size()) == wanted.records().size());

            // "Copy all as zone file" copies the dns package's zone text, the one DnsRecordsTest runs named-checkzone on
            robot.clickOn("#copyZoneButton");
            assertThat(Fx.get(() -> Clipboard.getSystemClipboard().getString())).isEqualTo(wanted.zone());

            robot.clickOn("#checkButton");
            await().atMost(Duration.ofSeconds(60)).until(() -> Fx.get(() -> model.verdicts().size()) == wanted.records().size());

            Map<String, String> byName = Fx.get(() -> {
                Map<String, String> m = new java.util.HashMap<>();
                model.verdicts().forEach((r, v) -> m.put(r.type() + " " + r.name(), v));
                return m;
            });
            assertThat(byName).containsEntry("A mail.example.test", "OK").containsEntry("MX example.test", "OK");
            assertThat(byName.get("TXT _dmarc.example.test")).startsWith("MISSING");
            assertThat(Fx.get(() -> model.statusProperty().get())).contains("required record(s) need fixing");
        }
    }
}
