package org.mailwright.mta;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which envelope paths the SMTP client sends as they are, and which it refuses (RFC 5321 §4.1.2, §2.3.8). */
class MailPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "alice@example.org", "first.last+tag@sub.example.org", "\"john doe\"@example.org",
            "\"a<b>c\"@example.org", "\"quoted \\\" quote\"@example.org", "postmaster", "jörg@bücher.example",
            "@relay.example:user@example.org"})
    void sendable(String path) {
        assertThat(MailPath.problem(path)).as(path).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b\r\nRCPT TO:<victim@example.org>", "a@b\nDATA", "a@b\rQUIT", "a\u0000@b", "a\u0007@b",
            "a\u001b[2J@b", "a\u000b@b", "a\u000c@b", "a\u007f@b", "a\u0085@b", "a\u009b@b", "a\t@b",
            "\"quoted\r\nRSET\"@example.org", "\"bel\u0007\"@example.org", "\"a\\\u0007\"@example.org"})
    void controlCharactersAreRefusedEvenQuoted(String path) {
        assertThat(MailPath.problem(path)).as(path).hasValueSatisfying(why -> assertThat(why).contains("control character \\x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b> SIZE=1", "<a@b", "a b@example.org", "a@example.org ", "a@b>\"x\"", "x@\"quoted\" domain"})
    void anglesAndSpacesOutsideAQuotedLocalPartAreRefused(String path) {
        assertThat(MailPath.problem(path)).as(path).hasValueSatisfying(why -> assertThat(why).contains("outside a quoted local part"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"unterminated@example.org", "\"ends in backslash\\\"@example.org"})
    void anUnclosedQuoteIsRefused(String path) {
        assertThat(MailPath.problem(path)).as(path).hasValueSatisfying(why -> assertThat(why).contains("closing quote"));
    }
}
