package org.mailwright.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import org.mailwright.config.ConfigWriter;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dkim.KeyType;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import org.mailwright.testing.TestDns;

/** {@code dns records} and {@code dns check} as a person runs them, and the {@code [dns]} configuration section. */
class DnsCommandTest {
    @TempDir
    Path dir;

    @Test
    void recordsAndCheckFromTheCommandLine() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mail.example.test", "example.test", "127.0.5.2");
        data.config(c -> c.withIp("127.0.5.2").withIpv6(""));
        DkimKeys.generate(data.dir.resolve("dkim"), "s1", KeyType.ED25519);

        Peers.Result json = Peers.run(Peers.mailwright(data.dir, "dns", "records", "--format", "json"), null, 120);
        assertThat(json.exit()).as(json.out()).isZero();
        JsonNode records = new ObjectMapper().readTree(json.out()).get("records");
        assertThat(records.findValuesAsText("name")).contains("s1._domainkey.example.test", "_dmarc.example.test",
                "_submission._tcp.example.test", "2.5.0.127.in-addr.arpa");
        assertThat(records.findValuesAsText("value")).contains("0 1 " + data.submission + " mail.example.test");

        Peers.Result zone = Peers.run(Peers.mailwright(data.dir, "dns", "records"), null, 120);
        assertThat(zone.out()).contains("; ==== zone example.test ====").contains("example.test.\t3600\tIN\tMX\t10 mail.example.test.");

        DnsRecords wanted = DnsRecords.of(data.config(), DkimKeys.loadAll(data.dir.resolve("dkim")));
        try (TestDns dns = TestDns.start(dir, TestDns.zone().records(wanted))) {
            Peers.Result ok = Peers.run(Peers.mailwright(data.dir, "dns", "check", "--resolver", dns.resolver()), null, 120);
            assertThat(ok.exit()).as(ok.out()).isZero();
            assertThat(ok.out()).contains("OK       PTR").contains("All required records are OK.").doesNotContain("MISSING");
        }
        try (TestDns dns = TestDns.start(dir, TestDns.zone().records(wanted, r -> r.kind() == DnsRecord.Kind.DMARC))) {
            // the resolver from [outbound] resolver this time
            data.config(c -> TestData.withOutbound(c, new Config.Outbound(dns.resolver(), 25, Config.OutboundTls.OPPORTUNISTIC, "", "", "")));
            Peers.Result missing = Peers.run(Peers.mailwright(data.dir, "dns", "check"), null, 120);
            assertThat(missing.exit()).as(missing.out()).isEqualTo(1);
            assertThat(missing.out()).contains("MISSING  DMARC").contains("expected: TXT v=DMARC1; p=none")
                    .contains("1 required record(s) not OK.");
            Peers.Result asJson = Peers.run(Peers.mailwright(data.dir, "dns", "check", "--json"), null, 120);
            assertThat(asJson.exit()).as(asJson.out()).isEqualTo(1);
            JsonNode report = new ObjectMapper().readTree(asJson.out());
            assertThat(report.get("ok").asBoolean()).isFalse();
            for (JsonNode row : report.get("rows")) {
                assertThat(row.get("status").asText()).as(row.toString()).isEqualTo(row.get("label").asText().equals("DMARC") ? "MISSING" : "OK");
            }
        }
    }

    @Test
    void theDnsSectionSurvivesARoundTrip() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mail.example.test", "example.test", "127.0.5.2");
        Config.Dns dns = new Config.Dns(Config.SpfAll.SOFTFAIL, "dmarc@example.test", "tls@example.test",
                List.of("bl.example.test"), "127.0.5.3:2525");
        data.config(c -> c.withDns(dns));
        Config read = ConfigLoader.load(data.dir);
        assertThat(read.dns()).isEqualTo(dns);
        assertThat(read).isEqualTo(data.config());
        assertThat(ConfigWriter.toToml(read)).isEqualTo(Files.readString(data.dir.resolve(ConfigLoader.FILE_NAME)));
    }

    @Test
    void aBadDnsSectionIsReportedAtItsLine() throws Exception {
        String text = ConfigWriter.toToml(new TestData(dir.resolve("data"), "mail.example.test", "example.test", "127.0.5.2").config())
                .replace("spf_all = \"-all\"", "spf_all = \"+all\"")
                .replace("blocklists = [\"zen.spamhaus.org\", \"bl.spamcop.net\"]", "blocklists = [\"not a zone\"]");
        int spfLine = lineOf(text, "spf_all =");
        int blLine = lineOf(text, "blocklists =");
        assertThatThrownBy(() -> ConfigLoader.parse(text, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "mailwright.conf:" + spfLine + ": spf_all = \"+all\" is not \"-all\" or \"~all\" — use \"-all\" (others fail SPF) or \"~all\" (others soft-fail)",
                        "mailwright.conf:" + blLine + ": blocklist zone \"not a zone\" is not a DNS zone — write it like \"zen.spamhaus.org\""));
    }

    static int lineOf(String text, String start) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) if (lines[i].startsWith(start)) return i + 1;
        throw new AssertionError(start);
    }
}
