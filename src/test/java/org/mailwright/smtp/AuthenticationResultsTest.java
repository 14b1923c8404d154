package org.mailwright.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwright.dkim.DkimVerifier;
import org.mailwright.dns.Dmarc;
import org.mailwright.dns.Spf;

/** The header RFC 8601 describes, as we write it, and the forged ones that name us, as we remove them. */
class AuthenticationResultsTest {
    @Test
    void oneFieldWithEveryMethod() {
        var checks = new AuthenticationResults.Checks(Spf.Result.PASS, "ok.test", Spf.Result.NONE, "mx.ok.test",
                List.of(new DkimVerifier.Verdict(DkimVerifier.Result.PASS, "ok.test", "sel", ""),
                        new DkimVerifier.Verdict(DkimVerifier.Result.FAIL, "list.test", "s1", "body hash did not verify")),
                new Dmarc.Verdict(Dmarc.Result.PASS, "ok.test", Dmarc.Policy.NONE, "SPF passed for ok.test"));
        assertThat(AuthenticationResults.header("mail.example.org", checks)).isEqualTo("Authentication-Results: mail.example.org;\r\n"
                + "\tspf=pass smtp.mailfrom=ok.test;\r\n\tdkim=pass header.d=ok.test header.s=sel;\r\n"
                + "\tdkim=fail header.d=list.test header.s=s1;\r\n\tdmarc=pass header.from=ok.test\r\n");
        assertThat(AuthenticationResults.logFields(checks)).isEqualTo("spf=pass dkim=pass dmarc=pass");

        var bounce = new AuthenticationResults.Checks(Spf.Result.NONE, "", Spf.Result.FAIL, "mx.bad.test", List.of(), null);
        assertThat(AuthenticationResults.header("mail.example.org", bounce))
                .isEqualTo("Authentication-Results: mail.example.org;\r\n\tspf=fail smtp.helo=mx.bad.test;\r\n\tdkim=none\r\n");
        assertThat(AuthenticationResults.logFields(bounce)).isEqualTo("spf=fail dkim=none dmarc=none");

        var bothIdentities = new AuthenticationResults.Checks(Spf.Result.PASS, "ok.test", Spf.Result.FAIL, "mx.bad.test", List.of(), null);
        assertThat(AuthenticationResults.header("mail.example.org", bothIdentities)).isEqualTo("Authentication-Results: mail.example.org;\r\n"
                + "\tspf=pass smtp.mailfrom=ok.test;\r\n\tspf=fail smtp.helo=mx.bad.test;\r\n\tdkim=none\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            " mail.example.org; spf=pass                 | true",
            " MAIL.Example.ORG; dkim=pass                | true",
            " mail.example.org 1; spf=pass               | true",
            " (forged) mail.example.org (yes); spf=pass  | true",
            " \"mail.example.org\"; none                 | true",
            " mail.example.org                           | true",
            " mx.other.test; spf=pass                    | false",
            " mail.example.org.evil.test; spf=pass       | false"})
    void whichFieldsNameUs(String value, boolean ours) {
        assertThat(AuthenticationResults.namesUs(value, "mail.example.org")).isEqualTo(ours);
    }

    @Test
    void forgedFieldsNamingUsGoOthersStayAndTheBodyIsNotTouched() {
        String m = "Received: from a\r\nAuthentication-Results: mail.example.org;\r\n\tspf=pass smtp.mailfrom=bank.test\r\n"
                + "authentication-results : mx.other.test; dkim=pass\r\nSubject: hi\r\nAuthentication-Results: Mail.Example.Org; dmarc=pass\r\n"
                + "\r\nAuthentication-Results: mail.example.org; this line is body\r\n";
        String cleaned = new String(AuthenticationResults.removeOurs(m.getBytes(StandardCharsets.US_ASCII), "mail.example.org"), StandardCharsets.US_ASCII);
        assertThat(cleaned).isEqualTo("Received: from a\r\nauthentication-results : mx.other.test; dkim=pass\r\nSubject: hi\r\n"
                + "\r\nAuthentication-Results: mail.example.org; this line is body\r\n");
        byte[] clean = "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(AuthenticationResults.removeOurs(clean, "mail.example.org")).isSameAs(clean);
    }
}
