package org.mailwright.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dkim.KeyType;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import org.mailwright.tls.SelfSigned;
import org.mailwright.testing.TestDns;

/**
 * {@code mailwright check} against a running engine, a real DNS server (dnsmasq) with a test blocklist zone,
 * and a stand-in for a remote mail server on loopback for the outbound port 25 probe.
 */
class SelfTestTest {
    static final String HOST = "mail.example.test";
    static final String IP = "127.0.5.2";
    static final String CLEAN = "clean.bl.test";
    static final String LISTED = "listed.bl.test";

    @TempDir
    Path dir;
    TestData data;
    TestDns dns;
    ServerSocket remoteMx;
    final List<Thread> threads = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        data = new TestData(dir.resolve("data"), HOST, "example.test", IP);
        DkimKeys.generate(data.dir.resolve("dkim"), "s1", KeyType.ED25519);
        remoteMx = new ServerSocket(0, 10, InetAddress.getByName("127.0.5.3"));
        Thread t = new Thread(() -> {
            while (!remoteMx.isClosed()) {
                try (Socket s = remoteMx.accept()) {
                    s.getOutputStream().write("220 mx.remote.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read();
                } catch (IOException e) {
                    // closed at the end of the test
                }
            }
        }, "remote-mx");
        t.start();
        threads.add(t);
        configure(List.of(CLEAN), remoteMx());
        DnsRecords records = DnsRecords.of(data.config(), DkimKeys.loadAll(data.dir.resolve("dkim")));
        dns = TestDns.start(dir, TestDns.zone().records(records).local(CLEAN).local(LISTED)
                // RFC 5782 §2.1: a listing is an A record in 127.0.0.0/8 at REVERSED-IP.ZONE, the reason in TXT
                .line("dns-rr=2.5.0.127." + LISTED + ",1," + TestDns.Zone.hex("127.0.0.2"))
                .txt("2.5.0.127." + LISTED, "Listed for testing")
                .line("dns-rr=9.9.0.127." + CLEAN + ",1," + TestDns.Zone.hex("127.0.0.2")));
        configure(List.of(CLEAN), remoteMx());
    }

    String remoteMx() {
        return "127.0.5.3:" + remoteMx.getLocalPort();
    }

    void configure(List<String> blocklists, String probe) throws IOException {
        data.config(c -> c.withIp(IP).withIpv6("").withOutbound(TestData.withOutbound(c, new Config.Outbound(dns == null ? "" : dns.resolver(),
                25, Config.OutboundTls.OPPORTUNISTIC, "", "", "")).outbound()).withDns(new Config.Dns(Config.SpfAll.FAIL, "", "", blocklists, probe)));
    }

    @AfterEach
    void tearDown() throws Exception {
        remoteMx.close();
        for (Thread t : threads) t.join(5000);
        if (dns != null) dns.close();
    }

    SelfTest.Report run() throws IOException {
        Config c = data.config();
        return SelfTest.run(c, data.dir, DnsRecords.of(c, DkimKeys.loadAll(data.dir.resolve("dkim"))), DnsClient.of(dns.resolver()),
                new SelfTest.Options(c.dns().outboundProbe(), Duration.ofSeconds(3), Instant.now()));
    }

    static String describe(SelfTest.Report r) {
        return r.findings().stream().map(f -> f.verdict() + " -" + f.deduction() + " " + f.area() + ": " + f.title() + " | " + f.detail())
                .collect(Collectors.joining("\n")) + "\nscore " + r.score();
    }

    static List<SelfTest.Finding> in(SelfTest.Report r, String area) {
        return r.findings().stream().filter(f -> f.area().equals(area)).toList();
    }

    @Test
    void aHealthyServerScoresAllButTheSelfSignedCertificate() throws Exception {
        try (Engine engine = Engine.start(data.dir)) {
            SelfTest.Report r = run();
            String why = describe(r);
            assertThat(r.dns()).as(why).allMatch(DnsCheck.Row::ok);
            assertThat(in(r, "Listeners")).as(why).hasSize(3).allMatch(f -> f.verdict() == SelfTest.Verdict.PASS)
                    .allMatch(f -> f.detail().contains("220 " + HOST));
            assertThat(in(r, "Relay")).as(why).singleElement().satisfies(f -> {
                assertThat(f.verdict()).isEqualTo(SelfTest.Verdict.PASS);
                assertThat(f.detail()).contains("550");
            });
            assertThat(in(r, "Blocklists")).as(why).singleElement().satisfies(f -> assertThat(f.title()).contains("not listed on " + CLEAN));
            assertThat(in(r, "Outbound")).as(why).singleElement().satisfies(f -> assertThat(f.verdict()).isEqualTo(SelfTest.Verdict.PASS));
            // the only deduction: TestData's certificate is self-signed
            assertThat(r.findings().stream().filter(f -> f.deduction() > 0)).as(why).singleElement()
                    .satisfies(f -> assertThat(f.title()).contains("not from a trusted authority"));
            assertThat(r.score()).isEqualTo(9.5);
            assertThat(r.anyFailure()).isFalse();
        }
    }

    @Test
    void aListedIpAndABlockedPort25CostPointsAndFailTheCommand() throws Exception {
        int closed = TestData.freePort(); // nothing listens there: the connection is refused
        configure(List.of(CLEAN, LISTED), "127.0.5.4:" + closed);
        try (Engine engine = Engine.start(data.dir)) {
            SelfTest.Report r = run();
            String why = describe(r);
            SelfTest.Finding listed = in(r, "Blocklists").stream().filter(f -> f.verdict() == SelfTest.Verdict.FAIL)
                    .findFirst().orElseThrow(() -> new AssertionError(why));
            assertThat(listed.title()).contains(IP + " is LISTED on " + LISTED);
            assertThat(listed.detail()).contains("127.0.0.2").contains("Listed for testing");
            assertThat(in(r, "Blocklists")).as(why).anyMatch(f -> f.verdict() == SelfTest.Verdict.PASS && f.title().contains(CLEAN));
            SelfTest.Finding outbound = in(r, "Outbound").get(0);
            assertThat(outbound.verdict()).as(why).isEqualTo(SelfTest.Verdict.FAIL);
            assertThat(outbound.fix()).contains("smarthost");
            assertThat(r.score()).as(why).isEqualTo(10 - 0.5 - 3 - 3);

            // the same through the command line, as a person runs it
            Peers.Result cli = Peers.run(Peers.mailwright(data.dir, "check"), null, 120);
            assertThat(cli.exit()).as(cli.out()).isEqualTo(1);
            assertThat(cli.out()).contains("LISTED on " + LISTED).contains("Score: 3.5/10").contains("fix:")
                    .contains("refused");
        }
    }

    @Test
    void anOpenRelayIsFoundAndScoresZero() throws Exception {
        data.config(c -> {
            List<Config.MatchRule> rules = new ArrayList<>();
            rules.add(Config.MatchRule.of("src:127.0.0.0/8", "any", Config.Action.RELAY));
            rules.addAll(c.matches());
            return c.withMatches(rules);
        });
        try (Engine engine = Engine.start(data.dir)) {
            SelfTest.Report r = run();
            SelfTest.Finding relay = in(r, "Relay").get(0);
            assertThat(relay.verdict()).as(describe(r)).isEqualTo(SelfTest.Verdict.FAIL);
            assertThat(relay.title()).contains("OPEN RELAY");
            assertThat(r.score()).isZero();
        }
    }

    @Test
    void aStoppedEngineAndABadCertificateAreReported() throws Exception {
        Config c = data.config();
        SelfSigned.create(List.of("other.test"), Duration.ofDays(5), c.tls().certPath(data.dir), c.tls().keyPath(data.dir));
        SelfTest.Report r = run();
        String why = describe(r);
        assertThat(in(r, "Listeners")).as(why).hasSize(3).allMatch(f -> f.verdict() == SelfTest.Verdict.FAIL && f.title().contains("does not answer"));
        assertThat(in(r, "TLS")).as(why).anyMatch(f -> f.title().contains("expires soon"))
                .anyMatch(f -> f.title().contains("does not cover " + HOST));
        assertThat(in(r, "Relay")).as(why).allMatch(f -> f.verdict() == SelfTest.Verdict.WARN);
        assertThat(r.anyFailure()).isTrue();
    }
}
