package org.mailwright.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.toolbox.JSON;

/**
 * Refusals Pebble does not produce (it has no rate limits), built as Let's Encrypt sends them (RFC 8555 §6.6,
 * Boulder's wording), to hold the words the user reads. The other failures are tested against Pebble.
 */
class AcmeFailureMessagesTest {
    static final AcmeClient.Request REQUEST = new AcmeClient.Request("letsencrypt", "hostmaster@example.org",
            List.of("mail.example.org"), 80, List.of("0.0.0.0"), Optional.empty(), "203.0.113.7");

    static Problem problem(String type, String detail) throws Exception {
        return new Problem(JSON.parse("{\"type\":\"urn:ietf:params:acme:error:" + type + "\",\"detail\":\"" + detail + "\"}"),
                new URL("https://acme-v02.api.letsencrypt.org/acme/new-order"));
    }

    @Test
    void rateLimitSaysUntilWhen() throws Exception {
        Instant until = Instant.parse("2026-12-01T10:00:00Z");
        AcmeFailure f = AcmeClient.serverProblem(new AcmeRateLimitedException(problem("rateLimited",
                "too many certificates (5) already issued for this exact set of domains in the last 168h0m0s"), until,
                List.of(new URL("https://letsencrypt.org/docs/rate-limits/"))), "acme://letsencrypt.org", REQUEST);
        assertThat(f.reason()).isEqualTo(AcmeFailure.Reason.RATE_LIMITED);
        assertThat(f.getMessage()).isEqualTo("the CA is rate limiting this host: too many certificates (5) already issued for this"
                + " exact set of domains in the last 168h0m0s; try again after 2026-12-01T10:00:00Z"
                + " (see https://letsencrypt.org/docs/rate-limits/) — use --directory letsencrypt-staging for tests");
    }

    @Test
    void letsEncryptsTimeoutIsAClosedPort() throws Exception {
        AcmeFailure f = AcmeClient.challengeProblem("mail.example.org", problem("connection",
                "203.0.113.7: Fetching http://mail.example.org/.well-known/acme-challenge/x: Timeout during connect (likely firewall problem)"),
                0, REQUEST);
        assertThat(f.reason()).isEqualTo(AcmeFailure.Reason.CHALLENGE_UNREACHABLE);
        assertThat(f.getMessage()).contains("port 80 is closed or forwarded elsewhere").contains("open port 80 in the firewall");
    }

    @Test
    void letsEncryptsNxdomainIsANameThatDoesNotResolve() throws Exception {
        AcmeFailure f = AcmeClient.challengeProblem("mail.example.org", problem("dns",
                "DNS problem: NXDOMAIN looking up A for mail.example.org - check that a DNS record exists for this domain"), 0, REQUEST);
        assertThat(f.reason()).isEqualTo(AcmeFailure.Reason.NAME_UNRESOLVED);
        assertThat(f.getMessage()).contains("add an A record for mail.example.org pointing at 203.0.113.7");
    }

    @Test
    void anotherWebServerAnsweringIsNamed() throws Exception {
        AcmeFailure f = AcmeClient.challengeProblem("mail.example.org", problem("unauthorized",
                "203.0.113.7: Invalid response from http://mail.example.org/.well-known/acme-challenge/x: 404"), 0, REQUEST);
        assertThat(f.reason()).isEqualTo(AcmeFailure.Reason.WRONG_ANSWER);
        assertThat(f.getMessage()).contains("something else answered on port 80 (Mailwright's responder was never asked)");
    }

    @Test
    void aForbiddenEmailDomainIsNamed() throws Exception {
        AcmeFailure f = AcmeClient.serverProblem(new org.shredzone.acme4j.exception.AcmeServerException(problem("invalidContact",
                "Error validating contact(s) :: contact email has forbidden domain \\\"example.com\\\"")), "acme://letsencrypt.org", REQUEST);
        assertThat(f.reason()).isEqualTo(AcmeFailure.Reason.EMAIL_REFUSED);
        assertThat(f.getMessage()).startsWith("the CA refused the account email \"hostmaster@example.org\": Error validating contact(s)");
    }
}
