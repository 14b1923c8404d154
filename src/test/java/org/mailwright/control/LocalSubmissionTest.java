package org.mailwright.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of local submission that need no engine: line ends, the size count, control characters. */
class LocalSubmissionTest {
    /** Returns at most {@code step} bytes per read, to show nothing depends on how the input is split. */
    static InputStream trickle(byte[] b, int step) {
        return new ByteArrayInputStream(b) {
            @Override
            public synchronized int read(byte[] out, int off, int len) {
                return super.read(out, off, Math.min(len, step));
            }
        };
    }

    static String crlf(String in, int step, long max) throws IOException {
        byte[] raw = in.getBytes(StandardCharsets.ISO_8859_1);
        return new String(new LocalSubmission.CrlfInput(trickle(raw, step), max).readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void bareCrAndBareLfBecomeCrlfWhateverTheReadSizes() throws IOException {
        String in = "a\rb\nc\r\nd\r\re\n\nf\r.\r\ng\r";
        String want = "a\r\nb\r\nc\r\nd\r\n\r\ne\r\n\r\nf\r\n.\r\ng\r\n";
        for (int step : new int[] {1, 2, 3, 7, 65536}) {
            assertThat(crlf(in, step, 1 << 20)).as("reads of " + step).isEqualTo(want);
        }
        assertThat(crlf("no line end", 5, 100)).isEqualTo("no line end\r\n");
        assertThat(crlf("", 5, 100)).isEmpty();
        assertThat(crlf("x\r\n", 1, 100)).isEqualTo("x\r\n");
    }

    @Test
    void theCountStopsTheReadingOnceOverTheLimit() {
        byte[] endless = new byte[10 * 1024 * 1024];
        assertThatThrownBy(() -> new LocalSubmission.CrlfInput(new ByteArrayInputStream(endless), 1000).readAllBytes())
                .isInstanceOf(LocalSubmission.CrlfInput.TooBig.class);
    }

    @Test
    void controlCharactersAreNamed() {
        assertThat(LocalSubmission.controlCharacter("alice@example.org")).isNull();
        assertThat(LocalSubmission.controlCharacter("b\u00e9b@example.org")).isNull();
        assertThat(LocalSubmission.controlCharacter("a\rb")).isEqualTo("CR");
        assertThat(LocalSubmission.controlCharacter("a\nb")).isEqualTo("LF");
        assertThat(LocalSubmission.controlCharacter("a\0b")).isEqualTo("NUL");
        assertThat(LocalSubmission.controlCharacter("a\u001bb")).isEqualTo("U+001B");
        assertThat(LocalSubmission.controlCharacter("a\u0085b")).isEqualTo("U+0085");
        assertThat(LocalSubmission.badRequest(new LocalSubmission.Request("<>", List.of("bob"), false, null))).isNull();
        assertThat(LocalSubmission.badRequest(new LocalSubmission.Request(null, List.of("bob\r\nDATA"), false, null)))
                .contains("recipient").contains("CR");
        assertThat(LocalSubmission.badRequest(new LocalSubmission.Request(null, List.of("bob"), false, "Bob\nBcc: x")))
                .contains("-F").contains("LF");
        assertThat(LocalSubmission.isNullSender("<>")).isTrue();
        assertThat(LocalSubmission.isNullSender("")).isTrue();
        assertThat(LocalSubmission.isNullSender("a@b")).isFalse();
    }
}
