package org.mailwright.dkim;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Relaxed canonicalization against RFC 6376 §3.4.2, §3.4.4 and the example of §3.4.6. */
class RelaxedTest {

    // RFC 6376 §3.4.6, with <SP>, <HTAB> and <CRLF> written out.
    private static final String RFC_EXAMPLE = "A: X\r\n"
            + "B : Y\t\r\n"
            + "\tZ  \r\n"
            + "\r\n"
            + " C \r\n"
            + "D \t E\r\n"
            + "\r\n"
            + "\r\n";

    @Test
    void rfc6376Example() {
        byte[] m = RFC_EXAMPLE.getBytes(UTF_8);
        RawMessage parsed = RawMessage.parse(m);

        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        parsed.fields().forEach(f -> Relaxed.header(f, m, headers));

        assertThat(parsed.fields()).extracting(RawMessage.Field::name).containsExactly("A", "B");
        assertThat(headers.toString(UTF_8)).isEqualTo("a:X\r\nb:Y Z\r\n");
        assertThat(body(new String(m, parsed.bodyStart(), m.length - parsed.bodyStart(), UTF_8)))
                .isEqualTo(" C\r\nD E\r\n");
    }

    @Test
    void emptyBodyStaysEmpty() {
        assertThat(body("")).isEmpty();
        assertThat(body("\r\n")).isEmpty();
        assertThat(body("\r\n \t\r\n\r\n")).isEmpty();
    }

    @Test
    void missingFinalCrlfIsAdded() {
        assertThat(body("last line")).isEqualTo("last line\r\n");
        // WSP at the end of the last line is deleted even without a CRLF (RFC 6376 §3.4.4 a).
        assertThat(body("a\r\nlast \t")).isEqualTo("a\r\nlast\r\n");
    }

    @Test
    void emptyLinesInsideTheBodyAreKept() {
        assertThat(body("a\r\n\r\n \r\nb\r\n\r\n")).isEqualTo("a\r\n\r\n\r\nb\r\n");
    }

    @Test
    void bareCrIsNotALineEnd() {
        assertThat(body("a\rb  \r\n")).isEqualTo("a\rb\r\n");
    }

    @Test
    void headerValueWhitespace() {
        assertThat(header("Subject:  \t many   spaces \r\n\t folded  ")).isEqualTo("subject:many spaces folded\r\n");
        assertThat(header("X-Empty:")).isEqualTo("x-empty:\r\n");
        assertThat(header("X-Empty:   ")).isEqualTo("x-empty:\r\n");
        assertThat(header("Subject: Grüße")).isEqualTo("subject:Grüße\r\n");
    }

    @Test
    void parserFindsHeaderAndBody() {
        RawMessage m = RawMessage.parse("From: a\r\nSubject: x\r\n y\r\nFrom: b\r\n\r\nbody\r\n".getBytes(UTF_8));

        assertThat(m.fields()).extracting(RawMessage.Field::name).containsExactly("From", "Subject", "From");
        assertThat(m.last("from").start()).isEqualTo(m.fields().get(2).start());
        assertThat(new String(m.bytes(), m.bodyStart(), m.bytes().length - m.bodyStart(), UTF_8)).isEqualTo("body\r\n");
    }

    @Test
    void bareLfBecomesCrlf() {
        assertThat(new String(RawMessage.toCrlf("a\nb\r\nc\n".getBytes(UTF_8)), UTF_8)).isEqualTo("a\r\nb\r\nc\r\n");
        byte[] clean = "a\r\n".getBytes(UTF_8);
        assertThat(RawMessage.toCrlf(clean)).isSameAs(clean);
    }

    private static String body(String s) {
        byte[] b = s.getBytes(UTF_8);
        return new String(Relaxed.body(b, 0, b.length), UTF_8);
    }

    private static String header(String field) {
        byte[] b = field.getBytes(UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Relaxed.header(RawMessage.parse(b).fields().get(0), b, out);
        return out.toString(UTF_8);
    }
}
