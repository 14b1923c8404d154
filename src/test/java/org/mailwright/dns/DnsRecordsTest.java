package org.mailwright.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.config.Config;
import org.mailwright.config.Defaults;
import org.mailwright.dkim.DkimKey;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dkim.KeyType;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestDns;

/** The generated records: accepted by BIND's named-checkzone, complete in JSON, and our SPF judged by a real SPF library. */
class DnsRecordsTest {
    @TempDir
    Path dir;

    Config config(List<String> domains, String ip, String ipv6, Config.Dns dns) {
        Config c = Defaults.config("mail.example.test", domains, Defaults.listeners("0.0.0.0", 25, 587, 465),
                Config.TlsMode.ACME, Config.DeliveryFormat.MAILDIR);
        return c.withIp(ip).withIpv6(ipv6).withDns(dns);
    }

    @Test
    void everyZoneSectionPassesNamedCheckzone() throws Exception {
        String checkzone = Peers.require("named-checkzone", "bind9-utils");
        List<DkimKey> keys = List.of(DkimKeys.generate(dir.resolve("dkim"), "r1", KeyType.RSA),
                DkimKeys.generate(dir.resolve("dkim"), "e1", KeyType.ED25519));
        // the hostname under a domain that is not ours, a second domain, IPv6 and a shared report address
        Config c = config(List.of("example.test", "club.test"), "203.0.113.7", "2001:db8::25",
                new Config.Dns(Config.SpfAll.SOFTFAIL, "dmarc@example.test", "", Defaults.BLOCKLISTS, Defaults.OUTBOUND_PROBE));
        String zone = DnsRecords.of(c, keys).zone();

        Matcher m = Pattern.compile("^; ==== zone (\\S+) ====\\n", Pattern.MULTILINE).matcher(zone);
        List<int[]> starts = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start(), m.end()});
            origins.add(m.group(1));
        }
        assertThat(origins).contains("example.test", "club.test", "7.113.0.203.in-addr.arpa");
        for (int i = 0; i < origins.size(); i++) {
            String body = zone.substring(starts.get(i)[1], i + 1 < starts.size() ? starts.get(i + 1)[0] : zone.length());
            // the SOA and NS a zone needs come from the DNS provider; the wrapper supplies placeholders
            Path file = dir.resolve(origins.get(i) + ".zone");
            Files.writeString(file, "$TTL 3600\n@ IN SOA ns.invalid. hostmaster.invalid. 1 3600 600 86400 3600\n@ IN NS ns.invalid.\n" + body);
            Peers.Result r = Peers.run(List.of(checkzone, "-k", "fail", "-m", "fail", "-n", "ignore", origins.get(i), file.toString()), null, 30);
            assertThat(r.exit()).as(origins.get(i) + ":\n" + body + "\n" + r.out()).isZero();
            assertThat(r.out()).contains("OK");
        }
        assertThat(zone).contains("\"v=spf1 mx a ip4:203.0.113.7 ip6:2001:db8::25 ~all\"");
        assertThat(zone).contains("club.test._report._dmarc.example.test.");
        assertThat(zone).contains("rua=mailto:dmarc@example.test");
    }

    @Test
    void jsonHasWhatTheCopyButtonsNeed() throws Exception {
        DkimKey key = DkimKeys.generate(dir.resolve("dkim"), "r1", KeyType.RSA);
        Config c = config(List.of("example.test"), "203.0.113.7", "", Defaults.dns());
        JsonNode json = new ObjectMapper().readTree(DnsRecords.of(c, List.of(key)).json());
        assertThat(json.get("hostname").asText()).isEqualTo("mail.example.test");
        List<String> types = new ArrayList<>();
        for (JsonNode r : json.get("records")) {
            types.add(r.get("label").asText());
            for (String field : List.of("type", "name", "value", "why", "level", "zone_line")) {
                assertThat(r.get(field).asText()).as(field + " of " + r).isNotBlank();
            }
            assertThat(r.get("level").asText()).isIn("required", "recommended");
            for (JsonNode s : r.get("strings")) assertThat(s.asText().length()).isLessThanOrEqualTo(255);
        }
        assertThat(types).contains("A", "MX", "SPF", "DKIM (selector r1)", "DMARC", "PTR", "TLS-RPT", "SRV submission", "CAA");
        JsonNode dkim = find(json, "DKIM (selector r1)");
        assertThat(dkim.get("name").asText()).isEqualTo("r1._domainkey.example.test");
        assertThat(dkim.get("value").asText()).isEqualTo(DkimKeys.dnsTxtValue(key));
        assertThat(dkim.get("strings").size()).isEqualTo(DkimKeys.txtStrings(DkimKeys.dnsTxtValue(key)).size()).isGreaterThan(1);
        assertThat(find(json, "PTR").get("name").asText()).isEqualTo("7.113.0.203.in-addr.arpa");
        assertThat(find(json, "PTR").get("note").asText()).contains("hosting provider");
        assertThat(find(json, "SRV submission").get("value").asText()).isEqualTo("0 1 587 mail.example.test");
        assertThat(find(json, "CAA").get("value").asText()).isEqualTo("0 issue \"letsencrypt.org\"");
        assertThat(find(json, "DMARC").get("value").asText()).isEqualTo("v=DMARC1; p=none; rua=mailto:postmaster@example.test");
        assertThat(find(json, "DMARC").get("note").asText()).contains("p=quarantine");
        assertThat(json.get("notes").toString()).contains("MTA-STS");
    }

    @Test
    void zoneFileLinesAreAbsoluteAndLongTxtIsSplit() {
        assertThat(new DnsRecord(DnsRecord.Kind.MX, "example.org", "example.org", "MX", "10 mail.example.org", "", true, "").zoneLine())
                .isEqualTo("example.org.\t3600\tIN\tMX\t10 mail.example.org.");
        String longValue = "v=DKIM1; k=rsa; p=" + "A".repeat(400);
        String line = new DnsRecord(DnsRecord.Kind.DKIM, "example.org", "s._domainkey.example.org", "TXT", longValue, "", true, "")
                .zoneLine();
        assertThat(line).contains("\" \"").startsWith("s._domainkey.example.org.\t3600\tIN\tTXT\t\"v=DKIM1;");
        assertThat(line.replaceAll("\" \"", "").replace("\"", "")).endsWith(longValue);
    }

    /** What the app shows of a deployed engine: its JSON read back gives the same records and the same zone text. */
    @Test
    void jsonReadBackIsTheSameRecordsAndZone() throws Exception {
        DkimKey key = DkimKeys.generate(dir.resolve("dkim"), "r1", KeyType.RSA);
        DnsRecords generated = DnsRecords.of(config(List.of("example.test", "club.test"), "203.0.113.7", "2001:db8::25",
                Defaults.dns()), List.of(key));
        DnsRecords read = DnsRecords.readJson(generated.json());
        assertThat(read.records()).isEqualTo(generated.records());
        assertThat(read.notes()).isEqualTo(generated.notes());
        assertThat(read.zone()).isEqualTo(generated.zone());
        assertThat(read.json()).isEqualTo(generated.json());
    }

    @Test
    void withoutAnIpTheAddressRecordsAreLeftOutAndSaidSo() throws Exception {
        DnsRecords r = DnsRecords.of(config(List.of("example.test"), "", "", Defaults.dns()), List.of());
        assertThat(r.records()).extracting(DnsRecord::type).doesNotContain("A", "PTR");
        assertThat(r.notes()).anyMatch(n -> n.contains("set ip")).anyMatch(n -> n.contains("dkim keygen"));
    }

    @Test
    void ourSpfPassesForOurAddressAndFailsForAnotherInPyspf() throws Exception {
        String python = Peers.require("python3", "python3");
        Config c = config(List.of("example.test"), "127.0.5.10", "", Defaults.dns());
        DnsRecords records = DnsRecords.of(c, List.of());
        String script = String.join("\n",
                "import sys, dns.resolver, spf",
                "r = dns.resolver.Resolver(configure=False)",
                "r.nameservers = [sys.argv[1]]",
                "r.port = int(sys.argv[2])",
                "dns.resolver.default_resolver = r",
                "print(spf.check2(i=sys.argv[3], s='someone@' + sys.argv[4], h=sys.argv[5])[0])");
        Path file = dir.resolve("spf-check.py");
        Files.writeString(file, script);
        try (TestDns dns = TestDns.start(dir, TestDns.zone().records(records))) {
            Peers.Result ours = Peers.run(List.of(python, file.toString(), TestDns.DEFAULT_ADDRESS, String.valueOf(dns.port()),
                    "127.0.5.10", "example.test", "mail.example.test"), null, 30);
            assertThat(ours.out().trim()).as(ours.out() + dns.log()).isEqualTo("pass");
            Peers.Result other = Peers.run(List.of(python, file.toString(), TestDns.DEFAULT_ADDRESS, String.valueOf(dns.port()),
                    "127.0.5.99", "example.test", "mail.example.test"), null, 30);
            assertThat(other.out().trim()).as(other.out()).isEqualTo("fail");
            // and our own evaluator agrees
            DnsClient client = DnsClient.of(dns.resolver());
            assertThat(Spf.check(client, "example.test", java.net.InetAddress.getByName("127.0.5.10")).result()).isEqualTo(Spf.Result.PASS);
            assertThat(Spf.check(client, "example.test", java.net.InetAddress.getByName("127.0.5.99")).result()).isEqualTo(Spf.Result.FAIL);
        }
    }

    @Test
    void reverseNamesRoundTripForBothFamilies() {
        assertThat(DnsRecords.reverseName("203.0.113.7")).isEqualTo("7.113.0.203.in-addr.arpa");
        assertThat(DnsRecords.reverseName("2001:db8::25"))
                .isEqualTo("5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
        for (String ip : List.of("203.0.113.7", "2001:db8:0:0:0:0:0:25", "fe80:0:0:0:0:0:1:2")) {
            assertThat(DnsCheck.reverseToAddress(DnsRecords.reverseName(ip))).isEqualTo(ip);
        }
    }

    static JsonNode find(JsonNode json, String label) {
        for (JsonNode r : json.get("records")) if (r.get("label").asText().equals(label)) return r;
        throw new AssertionError("no " + label + " in " + json);
    }
}
