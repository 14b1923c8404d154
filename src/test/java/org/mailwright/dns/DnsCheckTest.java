package org.mailwright.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.config.Config;
import org.mailwright.config.Defaults;
import org.mailwright.dkim.DkimKey;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dkim.KeyType;
import org.mailwright.testing.TestDns;

/** {@code dns check} against a real DNS server (dnsmasq) serving a correct zone and zones with each kind of mistake. */
class DnsCheckTest {
    static final String HOST = "mail.example.test";
    static final String DOMAIN = "example.test";
    static final String IP = "127.0.5.10";

    @TempDir
    static Path dir;
    static Config config;
    static DnsRecords records;
    static DkimKey foreignKey;

    @BeforeAll
    static void keys() throws IOException {
        DkimKeys.generate(dir.resolve("dkim"), "s1", KeyType.ED25519);
        DkimKeys.generate(dir.resolve("dkim"), "r1", KeyType.RSA);
        foreignKey = DkimKeys.generate(dir.resolve("other-dkim"), "s1", KeyType.ED25519);
        config = withIp(Defaults.config(HOST, List.of(DOMAIN), Defaults.listeners("0.0.0.0", 25, 587, 465),
                Config.TlsMode.ACME, Config.DeliveryFormat.MAILDIR), IP);
        records = DnsRecords.of(config, DkimKeys.loadAll(dir.resolve("dkim")));
    }

    static Config withIp(Config c, String ip) {
        return c.withIp(ip);
    }

    static List<DnsCheck.Row> check(TestDns.Zone zone) throws Exception {
        try (TestDns dns = TestDns.start(dir, zone)) {
            return new DnsCheck(config, DnsClient.of(dns.resolver())).run(records);
        }
    }

    static Predicate<DnsRecord> kind(DnsRecord.Kind k) {
        return r -> r.kind() == k;
    }

    static DnsCheck.Row row(List<DnsCheck.Row> rows, DnsRecord.Kind k) {
        return rows.stream().filter(r -> r.record().kind() == k).findFirst().orElseThrow();
    }

    static String describe(List<DnsCheck.Row> rows) {
        return rows.stream().map(r -> r.status() + " " + r.record().kind() + " " + r.record().name() + " found=" + r.found()
                + " " + r.detail()).collect(Collectors.joining("\n"));
    }

    @Test
    void everyRecordPublishedAsGeneratedIsOk() throws Exception {
        List<DnsCheck.Row> rows = check(TestDns.zone().records(records));
        assertThat(rows).as(describe(rows)).allMatch(DnsCheck.Row::ok);
        assertThat(rows).extracting(r -> r.record().kind()).contains(DnsRecord.Kind.ADDRESS, DnsRecord.Kind.MX,
                DnsRecord.Kind.SPF, DnsRecord.Kind.DKIM, DnsRecord.Kind.DMARC, DnsRecord.Kind.PTR, DnsRecord.Kind.TLS_RPT,
                DnsRecord.Kind.SUBMISSION_SRV, DnsRecord.Kind.CAA);
        assertThat(DnsCheck.allRequiredOk(rows)).isTrue();
        assertThat(row(rows, DnsRecord.Kind.PTR).detail()).contains("forward-confirmed");
        // the 2048-bit RSA key travels as two strings and is joined again
        assertThat(rows.stream().filter(r -> r.record().name().equals("r1._domainkey." + DOMAIN)).findFirst().orElseThrow().status())
                .isEqualTo(DnsCheck.Status.OK);
    }

    @Test
    void anEmptyZoneIsMissingEverything() throws Exception {
        List<DnsCheck.Row> rows = check(TestDns.zone().records(records, r -> true));
        assertThat(rows).as(describe(rows)).allMatch(r -> r.status() == DnsCheck.Status.MISSING);
        assertThat(DnsCheck.allRequiredOk(rows)).isFalse();
    }

    @Test
    void twoSpfRecordsAreWrong() throws Exception {
        List<DnsCheck.Row> rows = check(TestDns.zone().records(records).txt(DOMAIN, "v=spf1 -all"));
        DnsCheck.Row spf = row(rows, DnsRecord.Kind.SPF);
        assertThat(spf.status()).as(describe(rows)).isEqualTo(DnsCheck.Status.WRONG);
        assertThat(spf.detail()).contains("2 SPF records");
        assertThat(DnsCheck.allRequiredOk(rows)).isFalse();
    }

    @Test
    void spfWithoutOurAddressIsWrong() throws Exception {
        List<DnsCheck.Row> rows = check(TestDns.zone().records(records, kind(DnsRecord.Kind.SPF))
                .txt(DOMAIN, "v=spf1 ip4:192.0.2.1 ~all"));
        DnsCheck.Row spf = row(rows, DnsRecord.Kind.SPF);
        assertThat(spf.status()).as(describe(rows)).isEqualTo(DnsCheck.Status.WRONG);
        assertThat(spf.detail()).contains("does not authorise " + IP).contains("softfail");
    }

    @Test
    void spfThatAuthorisesUsThroughIncludeOrMxIsOk() throws Exception {
        List<DnsCheck.Row> rows = check(TestDns.zone().records(records, kind(DnsRecord.Kind.SPF))
                .local("provider.test")
                .txt(DOMAIN, "v=spf1 include:_spf.provider.test -all")
                .txt("_spf.provider.test", "v=spf1 ip4:192.0.2.0/24 include:_net.provider.test ~all")
                .txt("_net.provider.test", "v=spf1 ip4:127.0.5.0/24 -all"));
        assertThat(row(rows, DnsRecord.Kind.SPF).status()).as(describe(rows)).isEqualTo(DnsCheck.Status.OK);

        rows = check(TestDns.zone().records(records, kind(DnsRecord.Kind.SPF)).txt(DOMAIN, "v=spf1 mx -all"));
        assertThat(row(rows, DnsRecord.Kind.SPF).status()).as(describe(rows)).isEqualTo(DnsCheck.Status.OK);
    }

    @Test
    void anIncludeLoopStopsAtTenLookups() throws Exception {
        List<DnsCheck.Row> rows = check(TestDns.zone().records(records, kind(DnsRecord.Kind.SPF))
                .local("provider.test")
                .txt(DOMAIN, "v=spf1 include:loop.provider.test -all")
                .txt("loop.provider.test", "v=spf1 include:loop.provider.test -all"));
        DnsCheck.Row spf = row(rows, DnsRecord.Kind.SPF);
        assertThat(spf.status()).as(describe(rows)).isEqualTo(DnsCheck.Status.WRONG);
        assertThat(spf.detail()).contains("permerror").contains("10 DNS lookups");
    }

    @Test
    void aForeignDkimKeyIsWrong() throws Exception {
        String name = DkimKeys.dnsName("s1", DOMAIN);
        List<DnsCheck.Row> rows = check(TestDns.zone().records(records, r -> r.name().equals(name))
                .txt(name, DkimKeys.dnsTxtValue(foreignKey)));
        DnsCheck.Row dkim = rows.stream().filter(r -> r.record().name().equals(name)).findFirst().orElseThrow();
        assertThat(dkim.status()).as(describe(rows)).isEqualTo(DnsCheck.Status.WRONG);
        assertThat(dkim.detail()).contains("another key");
    }

    @Test
    void aPtrThatIsNotForwardConfirmedIsWrong() throws Exception {
        // PTR says mail.example.test, but mail.example.test resolves to another address
        List<DnsCheck.Row> rows = check(TestDns.zone().records(records, kind(DnsRecord.Kind.ADDRESS))
                .line("dns-rr=" + HOST + ",1," + TestDns.Zone.hex("127.0.5.99")));
        DnsCheck.Row ptr = row(rows, DnsRecord.Kind.PTR);
        assertThat(ptr.status()).as(describe(rows)).isEqualTo(DnsCheck.Status.WRONG);
        assertThat(ptr.detail()).contains("not forward-confirmed").contains("127.0.5.99");
        assertThat(row(rows, DnsRecord.Kind.ADDRESS).status()).isEqualTo(DnsCheck.Status.WRONG);
    }

    @Test
    void aPtrNamingAnotherHostIsWrong() throws Exception {
        List<DnsCheck.Row> rows = check(TestDns.zone().records(records, kind(DnsRecord.Kind.PTR))
                .line("ptr-record=" + DnsRecords.reverseName(IP) + ",vps-1234.hoster.test"));
        DnsCheck.Row ptr = row(rows, DnsRecord.Kind.PTR);
        assertThat(ptr.status()).as(describe(rows)).isEqualTo(DnsCheck.Status.WRONG);
        assertThat(ptr.found()).isEqualTo("vps-1234.hoster.test");
    }

    @Test
    void anMxPointingAtANameWithoutAddressIsWrong() throws Exception {
        List<DnsCheck.Row> rows = check(TestDns.zone().records(records, kind(DnsRecord.Kind.MX))
                .line("mx-host=" + DOMAIN + ",mx.nowhere.example.test,10"));
        DnsCheck.Row mx = row(rows, DnsRecord.Kind.MX);
        assertThat(mx.status()).as(describe(rows)).isEqualTo(DnsCheck.Status.WRONG);
        assertThat(mx.detail()).contains("mx.nowhere.example.test has no A record");
    }

    @Test
    void caaForAnotherAuthorityIsWrongEvenOnTheParentDomain() throws Exception {
        List<DnsCheck.Row> rows = check(TestDns.zone().records(records, kind(DnsRecord.Kind.CAA))
                .line("caa-record=" + DOMAIN + ",0,issue,digicert.com"));
        DnsCheck.Row caa = row(rows, DnsRecord.Kind.CAA);
        assertThat(caa.status()).as(describe(rows)).isEqualTo(DnsCheck.Status.WRONG);
        assertThat(caa.found()).contains("digicert.com").contains("at " + DOMAIN);
        assertThat(DnsCheck.allRequiredOk(rows)).as("CAA is recommended, not required").isTrue();
    }

    @Test
    void aResolverThatNeverAnswersGivesErrorsQuicklyNotAHang() throws Exception {
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, java.net.InetAddress.getByName("127.0.5.5"))) {
            long start = System.nanoTime();
            List<DnsCheck.Row> rows = new DnsCheck(config, DnsClient.of("127.0.5.5:" + silent.getLocalPort())).run(records);
            assertThat(rows).as(describe(rows)).allMatch(r -> r.status() == DnsCheck.Status.ERROR && r.detail().contains("no answer"));
            assertThat(DnsCheck.allRequiredOk(rows)).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }
    }
}
