package org.mailwright.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.admin.LocalAdmin;
import org.mailwright.admin.RemoteAdmin;
import org.mailwright.admin.Results;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.deploy.RemoteAttach;
import org.mailwright.deploy.RemoteHost;
import org.mailwright.dns.DnsRecords;
import org.mailwright.testing.TestDns;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/**
 * {@code dns check}, {@code check} and {@code tls acme} with {@code --remote}: run on a deployed engine (real OpenSSH
 * on 127.0.13.20, the engine on 127.0.13.21) whose resolver is a dnsmasq on 127.0.13.22 publishing its records but
 * DMARC, and whose ACME server is Pebble on 127.0.13.24 (validating HTTP-01 on a high port, as port 80 would be on a
 * server). The desk has another host name and a resolver that answers nothing, so every answer is the server's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteChecksAndAcmeTest {
    private static final String ENGINE = "127.0.13.21";
    private static final String PROBE = "127.0.13.23:25"; // the self-test's outbound probe: nothing listens
    @TempDir static Path tmp;
    RemoteHost server;
    TestDns dns;
    Pebble pebble;
    TestData desk;

    @BeforeAll
    void deploy() throws Exception {
        server = RemoteHost.start(tmp, "127.0.13.20");
        desk = new TestData(tmp.resolve("desk"), "mail.example.org", "example.org", ENGINE);
        desk.user("alice", "correct horse battery");
        desk.config(c -> c.withIp(ENGINE).withIpv6(""));
        dns = TestDns.start(tmp, "127.0.13.22", TestDns.zone().records(DnsRecords.of(desk.config(), List.of()),
                r -> r.name().startsWith("_dmarc.")));
        pebble = Pebble.start(tmp.resolve("pebble"), "127.0.13.24", TestData.freePort(), dns.resolver());
        try (LocalAdmin here = new LocalAdmin(desk.dir)) {
            here.configSet("outbound.resolver", dns.resolver());
            here.configSet("dns.outbound_probe", PROBE);
        }
        server.deploy(desk.dir);
        try (LocalAdmin here = new LocalAdmin(desk.dir)) {
            here.configSet("hostname", "desk.example.org");
            here.configSet("outbound.resolver", TestData.NO_DNS);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) server.close();
        if (pebble != null) pebble.close();
        if (dns != null) dns.close();
    }

    List<String> cli(String... args) {
        return server.cli(desk.dir, args);
    }

    /** The JSON object in a command's output (its standard error is merged in by Peers.run). */
    static JsonNode json(String out) throws Exception {
        return new ObjectMapper().readTree(out.substring(out.indexOf('{'), out.lastIndexOf('}') + 1));
    }

    static JsonNode row(JsonNode rows, String type, String name) {
        for (JsonNode r : rows) if (r.path("type").asText().equals(type) && r.path("name").asText().equals(name)) return r;
        throw new AssertionError("no " + type + " " + name + " in " + rows);
    }

    @Test
    void dnsCheckRemoteAsksTheServersResolverForTheServersRecords() throws Exception {
        Peers.Result r = Peers.run(cli("dns", "check", "--json"), null, 120);
        assertThat(r.exit()).as(r.out()).isEqualTo(1); // DMARC is required and not published
        JsonNode report = json(r.out());
        assertThat(report.path("hostname").asText()).isEqualTo("mail.example.org");
        assertThat(report.path("resolver").asText()).contains(dns.resolver());
        assertThat(row(report.path("rows"), "A", "mail.example.org").path("status").asText()).isEqualTo("OK");
        assertThat(row(report.path("rows"), "MX", "example.org").path("status").asText()).isEqualTo("OK");
        assertThat(row(report.path("rows"), "TXT", "_dmarc.example.org").path("status").asText()).isEqualTo("MISSING");

        Peers.Result text = Peers.run(cli("dns", "check"), null, 120);
        assertThat(text.exit()).as(text.out()).isEqualTo(1);
        assertThat(text.out()).contains("mail.example.org").doesNotContain("desk.example.org");
    }

    @Test
    void checkRemoteRunsTheSelfTestOnTheServer() throws Exception {
        Peers.Result r = Peers.run(cli("check", "--json", "--timeout", "3"), null, 180);
        assertThat(r.exit()).as(r.out()).isIn(0, 1);
        JsonNode report = json(r.out());
        assertThat(report.path("hostname").asText()).isEqualTo("mail.example.org");
        assertThat(report.path("score").asDouble()).isBetween(0.0, 9.9);
        List<String> titles = new ArrayList<>();
        report.path("findings").forEach(f -> titles.add(f.path("verdict").asText() + " " + f.path("title").asText() + " " + f.path("detail").asText()));
        assertThat(String.join("\n", titles)).contains("_dmarc.example.org").contains(PROBE);
        assertThat(row(report.path("dns"), "A", "mail.example.org").path("status").asText()).isEqualTo("OK");
    }

    @Test
    void tlsAcmeRemoteGetsACertificateOnTheServerWithItsStepsAsTheyCome() throws Exception {
        BigInteger before = servedSerial();
        Peers.Result r = Peers.run(cli("tls", "acme", "--directory", pebble.directory(), "--email", "postmaster@example.org",
                "--http-port", String.valueOf(pebble.httpPort), "--trust", pebble.caPem.toString()), null, 300);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("Answering the HTTP-01 challenge for mail.example.org").contains("Pebble Intermediate CA");
        Config saved = ConfigLoader.load(server.remoteDir.resolve("data"));
        assertThat(saved.tls().mode()).isEqualTo(Config.TlsMode.ACME);
        assertThat(saved.tls().acmeDirectory()).isEqualTo(pebble.directory());
        assertThat(ConfigLoader.load(desk.dir).tls().mode()).as("the desk is untouched").isEqualTo(Config.TlsMode.SELF_SIGNED);
        // The running remote engine serves it (it watches the files): no restart.
        await().atMost(Duration.ofSeconds(30)).until(() -> !servedSerial().equals(before));
        assertThat(servedIssuer()).startsWith("CN=Pebble Intermediate CA");

        // Through the admin layer, as the TLS view calls it: the steps arrive while the order runs, not at its end.
        List<long[]> steps = Collections.synchronizedList(new ArrayList<>());
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (RemoteAttach attach = server.attach();
             RemoteAdmin admin = new RemoteAdmin(attach)) {
            Results.TlsInstalled done = admin.tlsAcme(new Results.AcmeOptions(null, null, null, null), l -> {
                steps.add(new long[] {System.nanoTime()});
                lines.add(l);
            });
            long end = System.nanoTime();
            assertThat(done.certificate().issuer()).startsWith("CN=Pebble Intermediate CA");
            assertThat(lines).anyMatch(l -> l.contains("Answering the HTTP-01 challenge for mail.example.org"));
            assertThat(steps).hasSizeGreaterThan(1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(end - steps.get(0)[0])).as("the first step came before the end").isGreaterThan(200);
        }
    }

    private BigInteger servedSerial() throws Exception {
        return leaf().getSerialNumber();
    }

    private String servedIssuer() throws Exception {
        return leaf().getIssuerX500Principal().getName();
    }

    private X509Certificate leaf() throws Exception {
        try (SmtpClient c = SmtpClient.connectTo(ENGINE, desk.smtp)) {
            c.ehlo();
            assertThat(c.startTls()).startsWith("220");
            return (X509Certificate) c.sslSocket().getSession().getPeerCertificates()[0];
        }
    }
}
