package org.mailwright.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwright.dkim.DkimVerifier;
import org.mailwright.testing.TestDns;

/** The DMARC table: which combination of SPF, DKIM, alignment and policy passes, and what a failure asks for. */
class DmarcTest {
    static final Map<String, String> RECORDS = Map.of(
            "_dmarc.reject.test", "v=DMARC1; p=reject; rua=mailto:d@reject.test",
            "_dmarc.quarantine.test", "v=DMARC1; p=quarantine",
            "_dmarc.none.test", "v=DMARC1; p=none",
            "_dmarc.strict.test", "v=DMARC1; p=reject; aspf=s; adkim=s",
            "_dmarc.parent.test", "v=DMARC1; p=none; sp=reject",
            "_dmarc.half.test", "v=DMARC1; p=reject; pct=50",
            "_dmarc.example.co.uk", "v=DMARC1; p=reject");

    static Dmarc.Verdict check(String from, String spf, String spfDomain, String dkim, int dice) {
        List<DkimVerifier.Verdict> sigs = dkim.isEmpty() ? List.of()
                : List.of(new DkimVerifier.Verdict(DkimVerifier.Result.valueOf(dkim.split(":")[0]), dkim.split(":")[1], "s", ""));
        return Dmarc.evaluate(name -> RECORDS.containsKey(name) ? List.of(RECORDS.get(name)) : List.of(), from,
                Spf.Result.valueOf(spf), spfDomain, sigs, () -> dice);
    }

    @ParameterizedTest(name = "From {0}, SPF {1} for {2}, DKIM {3} -> {5} {6}")
    @CsvSource({
            // from,              spf,      spf domain,          dkim,                       dice, result, apply
            "reject.test,         PASS,     reject.test,         '',                         0,    PASS, NONE",
            "reject.test,         PASS,     bounces.reject.test, '',                         0,    PASS, NONE",   // relaxed: same org domain
            "reject.test,         FAIL,     reject.test,         PASS:reject.test,           0,    PASS, NONE",   // aligned DKIM passes alone
            "reject.test,         FAIL,     reject.test,         PASS:mail.reject.test,      0,    PASS, NONE",
            "reject.test,         PASS,     other.test,          PASS:other.test,            0,    FAIL, REJECT", // both pass, neither aligned
            "reject.test,         FAIL,     reject.test,         FAIL:reject.test,           0,    FAIL, REJECT",
            "reject.test,         SOFTFAIL, reject.test,         '',                         0,    FAIL, REJECT",
            "quarantine.test,     FAIL,     quarantine.test,     '',                         0,    FAIL, QUARANTINE",
            "none.test,           FAIL,     none.test,           '',                         0,    FAIL, NONE",
            "strict.test,         PASS,     mail.strict.test,    '',                         0,    FAIL, REJECT", // aspf=s
            "strict.test,         FAIL,     x.test,              PASS:mail.strict.test,      0,    FAIL, REJECT", // adkim=s
            "strict.test,         FAIL,     x.test,              PASS:strict.test,           0,    PASS, NONE",
            "news.parent.test,    FAIL,     x.test,              '',                         0,    FAIL, REJECT", // sp= of the org domain
            "parent.test,         FAIL,     x.test,              '',                         0,    FAIL, NONE",
            "half.test,           FAIL,     x.test,              '',                         49,   FAIL, REJECT", // inside pct=50
            "half.test,           FAIL,     x.test,              '',                         50,   FAIL, QUARANTINE",
            "mail.example.co.uk,  PASS,     example.co.uk,       '',                         0,    PASS, NONE",   // the public-suffix list
            "mail.example.co.uk,  PASS,     other.co.uk,         '',                         0,    FAIL, REJECT",
            "nopolicy.test,       FAIL,     x.test,              '',                         0,    NONE, NONE"})
    void theDmarcTable(String from, String spf, String spfDomain, String dkim, int dice, Dmarc.Result result, Dmarc.Policy apply) {
        Dmarc.Verdict v = check(from, spf, spfDomain, dkim, dice);
        assertThat(v.result()).as(v.reason()).isEqualTo(result);
        assertThat(v.apply()).as(v.reason()).isEqualTo(apply);
        assertThat(v.deliver()).isEqualTo(result != Dmarc.Result.FAIL || apply == Dmarc.Policy.NONE);
    }

    @Test
    void recordsAndOrganizationalDomains() {
        assertThat(Dmarc.parse("v=DMARC1; p=quarantine; sp=reject; pct=20; aspf=s"))
                .isEqualTo(new Dmarc.Record(Dmarc.Policy.QUARANTINE, Dmarc.Policy.REJECT, 20, true, false, List.of()));
        assertThat(Dmarc.parse("p=reject; v=DMARC1")).as("v= must come first").isNull();
        assertThat(Dmarc.parse("v=DMARC1; p=bogus")).isNull();
        assertThat(Dmarc.parse("v=DMARC1; p=bogus; rua=mailto:a@b.test").policy()).isEqualTo(Dmarc.Policy.NONE);
        assertThat(Dmarc.organizationalDomain("a.b.mail.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(Dmarc.organizationalDomain("Mail.Example.ORG.")).isEqualTo("example.org");
        assertThat(Dmarc.organizationalDomain("a.b.sender.test")).isEqualTo("sender.test");
        // Two records at one name are no policy (RFC 7489 §6.6.3).
        Dmarc.Verdict two = Dmarc.evaluate(n -> List.of("v=DMARC1; p=reject", "v=DMARC1; p=none"), "twice.test", Spf.Result.FAIL, "x.test", List.of(), () -> 0);
        assertThat(two.result()).isEqualTo(Dmarc.Result.NONE);
        Dmarc.Verdict down = Dmarc.evaluate(n -> {
            throw new DnsClient.LookupFailed("TXT " + n + ": no answer from 127.0.0.1:53", null);
        }, "reject.test", Spf.Result.PASS, "reject.test", List.of(), () -> 0);
        assertThat(down.result()).isEqualTo(Dmarc.Result.TEMPERROR);
        assertThat(down.deliver()).isTrue();
        assertThat(check("reject.test", "FAIL", "x.test", "", 0).reason())
                .isEqualTo("neither SPF (fail for x.test) nor DKIM (no signature) passed aligned with reject.test; policy reject");
    }

    @Test
    void policiesComeThroughARealDnsServer(@TempDir Path dir) throws Exception {
        TestDns.Zone zone = TestDns.zone().local("test").local("co.uk");
        RECORDS.forEach(zone::txt);
        try (TestDns dns = TestDns.start(dir, "127.0.5.32", zone)) {
            DnsClient client = DnsClient.of(dns.resolver());
            Dmarc.Verdict sub = Dmarc.evaluate(client::txt, "news.parent.test", Spf.Result.FAIL, "x.test", List.of(), () -> 0);
            assertThat(sub.apply()).isEqualTo(Dmarc.Policy.REJECT);
            assertThat(dns.log()).contains("_dmarc.news.parent.test").contains("_dmarc.parent.test");
        }
    }
}
