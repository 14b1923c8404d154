package org.mailwright.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import org.mailwright.testing.TestDns;

/**
 * Issue 15: DNS blocklists on connect. dnsmasq serves {@code bl.test}, which lists 127.0.20.5 (with a reason) and
 * answers 127.0.20.7 with Spamhaus's "query refused" code; swaks connects from each loopback address.
 */
class DnsblTest {
    static final String ENGINE = "127.0.20.1";
    static final String LISTED = "127.0.20.5";
    static final String CLEAN = "127.0.20.6";
    static final String REFUSED_QUERY = "127.0.20.7";

    @TempDir static Path dir;
    static TestDns dns;
    static TestData data;
    static Engine engine;

    @BeforeAll
    static void start() throws Exception {
        Peers.require("swaks", "swaks");
        dns = TestDns.start(dir.resolve("dns"), "127.0.20.2", TestDns.zone().local("bl.test")
                .a("5.20.0.127.bl.test", "127.0.0.2").txt("5.20.0.127.bl.test", "listed for testing")
                .a("7.20.0.127.bl.test", "127.255.255.254"));
        // down.test is not served (dnsmasq has no upstream): a list that cannot answer, asked before bl.test
        data = new TestData(dir.resolve("data"), "mx.example.org", "example.org", ENGINE)
                .config(c -> c.withOutbound(c.outbound().withResolver(dns.resolver()))
                        .withInbound(c.inbound().withDnsbl(List.of("down.test", "bl.test"))));
        engine = Engine.start(data.dir);
    }

    @AfterAll
    static void stop() throws IOException {
        if (engine != null) engine.close();
        if (dns != null) dns.close();
    }

    /** The server's first reply to a client from {@code from}, as swaks shows it. */
    static String greeting(String from, int port) throws Exception {
        Peers.Result r = Peers.swaks("--server", ENGINE + ":" + port, "--local-interface", from, "--quit-after", "CONNECT",
                "--timeout", "20");
        for (String line : r.out().split("\n")) {
            if (line.startsWith("<-") || line.startsWith("<**")) return line.replaceFirst("^<-+\\s*|^<\\*\\*\\s*", "");
        }
        throw new AssertionError("no reply from the server:\n" + r.out());
    }

    static long queries(String name) throws IOException {
        return dns.log().lines().filter(l -> l.contains("query[A] " + name + " ")).count();
    }

    @Test
    void aListedClientIsRefusedWithTheListAndItsReason() throws Exception {
        assertThat(greeting(LISTED, data.smtp))
                .isEqualTo("554 5.7.1 Service unavailable; client [127.0.20.5] listed by bl.test; listed for testing");
        assertThat(data.maillog()).contains("smtp refused address=127.0.20.5 reason=dnsbl list=bl.test")
                .contains("smtp dnsbl-failed address=127.0.20.5 list=down.test");
    }

    @Test
    void anUnlistedClientIsGreetedAndAskedAboutOnlyOnceInAWhile() throws Exception {
        assertThat(greeting(CLEAN, data.smtp)).startsWith("220 mx.example.org");
        assertThat(queries("6.20.0.127.bl.test")).isEqualTo(1);
        assertThat(greeting(CLEAN, data.smtp)).startsWith("220 mx.example.org");
        assertThat(queries("6.20.0.127.bl.test")).as("the answer is cached").isEqualTo(1);
        assertThat(queries("6.20.0.127.down.test")).as("a failure is not cached").isEqualTo(2);
    }

    @Test
    void aListThatRefusesTheQueryListsNobody() throws Exception {
        assertThat(greeting(REFUSED_QUERY, data.smtp)).startsWith("220 mx.example.org");
        assertThat(data.maillog()).contains("smtp dnsbl-failed address=127.0.20.7 list=bl.test")
                .contains("127.255.255.254");
    }

    @Test
    void submissionIsForOurUsersAndNotChecked() throws Exception {
        long before = queries("5.20.0.127.bl.test");
        assertThat(greeting(LISTED, data.submission)).startsWith("220 mx.example.org");
        assertThat(queries("5.20.0.127.bl.test")).isEqualTo(before);
    }

    @Test
    void withNoListsNobodyIsAskedAndAListSetLaterHoldsAtOnce() throws Exception {
        TestData empty = new TestData(dir.resolve("empty"), "mx2.example.org", "example.org", ENGINE)
                .config(c -> c.withOutbound(c.outbound().withResolver(dns.resolver())));
        try (Engine e = Engine.start(empty.dir)) {
            assertThat(greeting("127.0.20.9", empty.smtp)).startsWith("220 mx2.example.org");
            assertThat(dns.log()).doesNotContain("9.20.0.127.");

            empty.config(c -> c.withInbound(c.inbound().withDnsbl(List.of("bl.test"))));
            e.reloadConfig();
            assertThat(greeting(LISTED, empty.smtp)).startsWith("554 5.7.1");
        }
    }

    @Test
    void queryNamesAreTheReversedAddressUnderTheZone() throws Exception {
        assertThat(Dnsbl.queryName(InetAddress.getByName("192.0.2.99"), "zen.spamhaus.org")).isEqualTo("99.2.0.192.zen.spamhaus.org");
        // RFC 5782 §2.4: IPv6 as 32 nibbles, least significant first
        assertThat(Dnsbl.queryName(InetAddress.getByName("2001:db8:1:2:3:4:567:89ab"), "bl.test"))
                .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl.test");
    }

    @Test
    void aListsReasonIsMadeSafeAndShortForTheReply() {
        assertThat(Dnsbl.replyText("see\r\n 250 ok\there  ünïcode")).isEqualTo("see 250 ok here n code");
        assertThat(Dnsbl.replyText("x".repeat(500))).hasSize(Dnsbl.REASON_LENGTH);
    }
}
