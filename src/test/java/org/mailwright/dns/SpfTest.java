package org.mailwright.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwright.testing.TestDns;

/**
 * SPF on receive (RFC 7208), against records served by dnsmasq: every mechanism, macros with transformers, the
 * null sender checked as postmaster@HELO, and the lookup limits. The cases follow the RFC's own examples (§7.4).
 */
class SpfTest {
    @TempDir static Path dir;
    static TestDns dns;
    static DnsClient client;

    @BeforeAll
    static void zone() throws Exception {
        dns = TestDns.start(dir, "127.0.5.33", TestDns.zone().local("test").local("in-addr.arpa").local("ip6.arpa")
                .txt("plain.test", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all")
                .txt("a.test", "v=spf1 a a:other.a.test/24 -all").a("a.test", "192.0.2.10").a("other.a.test", "198.51.100.1")
                .txt("mx.test", "v=spf1 mx -all").mx("mx.test", "mail.mx.test", 10).a("mail.mx.test", "192.0.2.20")
                .txt("inc.test", "v=spf1 include:plain.test ~all")
                .txt("redir.test", "v=spf1 redirect=plain.test")
                // exists with the reversed address, the version word and the domain: the RFC's %{ir}.%{v}._spf.%{d}
                .txt("macro.test", "v=spf1 exists:%{ir}.%{v}._spf.%{d} -all")
                .a("10.2.0.192.in-addr._spf.macro.test", "127.0.0.2")
                // per-user: %{l1r+} of "alice+tag" is "alice"
                .txt("user.test", "v=spf1 exists:%{l1r+}.%{o}._users.user.test -all").a("alice.user.test._users.user.test", "127.0.0.2")
                // IPv6 nibbles: %{i} of 2001:db8::cb01
                .txt("six.test", "v=spf1 exists:%{i}._v6.six.test -all")
                .a("2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1._v6.six.test", "127.0.0.2")
                // ptr: 192.0.2.30 is mta.ptr.test both ways; 192.0.2.31 claims it but mta.ptr.test does not point back
                .txt("ptr.test", "v=spf1 ptr -all").a("mta.ptr.test", "192.0.2.30")
                .line("ptr-record=30.2.0.192.in-addr.arpa,mta.ptr.test").line("ptr-record=31.2.0.192.in-addr.arpa,mta.ptr.test")
                .txt("void.test", "v=spf1 a:n1.void.test a:n2.void.test a:n3.void.test ip4:192.0.2.0/24 -all")
                .txt("helo.plain.test", "v=spf1 ip4:203.0.113.5 -all")
                .txt("twice.test", "v=spf1 -all").txt("twice.test", "v=spf1 +all")
                .txt("badmacro.test", "v=spf1 exists:%{z}.badmacro.test -all"));
        client = DnsClient.of(dns.resolver());
    }

    @AfterAll
    static void stop() {
        if (dns != null) dns.close();
    }

    @ParameterizedTest(name = "{0} from {1} -> {3}")
    @CsvSource({
            "bob@plain.test,        192.0.2.7,     mail.x.test,     PASS",
            "bob@plain.test,        2001:db8::1,   mail.x.test,     PASS",
            "bob@plain.test,        198.51.100.7,  mail.x.test,     FAIL",
            "bob@a.test,            192.0.2.10,    mail.x.test,     PASS",
            "bob@a.test,            198.51.100.200,mail.x.test,     PASS",
            "bob@a.test,            192.0.2.11,    mail.x.test,     FAIL",
            "bob@mx.test,           192.0.2.20,    mail.x.test,     PASS",
            "bob@inc.test,          192.0.2.7,     mail.x.test,     PASS",
            "bob@inc.test,          198.51.100.7,  mail.x.test,     SOFTFAIL",
            "bob@redir.test,        198.51.100.7,  mail.x.test,     FAIL",
            "bob@macro.test,        192.0.2.10,    mail.x.test,     PASS",
            "bob@macro.test,        192.0.2.11,    mail.x.test,     FAIL",
            "alice+tag@user.test,   198.51.100.9,  mail.x.test,     PASS",
            "mallory@user.test,     198.51.100.9,  mail.x.test,     FAIL",
            "bob@six.test,          2001:db8::cb01,mail.x.test,     PASS",
            "bob@ptr.test,          192.0.2.30,    mail.x.test,     PASS",
            "bob@ptr.test,          192.0.2.31,    mail.x.test,     FAIL",
            "bob@void.test,         192.0.2.7,     mail.x.test,     PERMERROR",
            "bob@twice.test,        192.0.2.7,     mail.x.test,     PERMERROR",
            "bob@badmacro.test,     192.0.2.7,     mail.x.test,     PERMERROR",
            "bob@nothing.test,      192.0.2.7,     mail.x.test,     NONE",
            // the null sender (a bounce): the HELO name is the identity
            "'',                    203.0.113.5,   helo.plain.test, PASS",
            "'',                    192.0.2.7,     helo.plain.test, FAIL"})
    void checkHost(String mailFrom, String ip, String helo, Spf.Result expected) throws Exception {
        Spf.Verdict v = Spf.checkMailFrom(client, InetAddress.getByName(ip), mailFrom, helo);
        assertThat(v.result()).as(v.reason()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "HELO {0} from {1} -> {2}")
    @CsvSource({"helo.plain.test, 203.0.113.5, PASS", "helo.plain.test, 203.0.113.6, FAIL", "[192.0.2.1], 192.0.2.1, NONE",
            "nospf.x.test, 192.0.2.1, NONE"})
    void heloIdentity(String helo, String ip, Spf.Result expected) throws Exception {
        assertThat(Spf.checkHelo(client, InetAddress.getByName(ip), helo).result()).isEqualTo(expected);
    }
}
