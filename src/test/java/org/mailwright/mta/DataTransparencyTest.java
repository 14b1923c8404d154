package org.mailwright.mta;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What goes on the wire after DATA (RFC 5321 §4.5.2, §2.3.8), whatever way the message is cut into writes: every
 * input is fed byte by byte, in chunks of every size 1..n, and split once at every point, and must give the same bytes.
 */
class DataTransparencyTest {

    /** Input → exactly what the peer gets, final "." included. */
    static Stream<Arguments> table() {
        return Stream.of(
                // the smuggling shapes: each must stay inside the body, its dot stuffed
                row("a\r.\r\nMAIL FROM:<x@evil.test>\r\n", "a\r\n..\r\nMAIL FROM:<x@evil.test>\r\n.\r\n"),
                row("a\n.\r\nRCPT TO:<v@victim.test>\r\n", "a\r\n..\r\nRCPT TO:<v@victim.test>\r\n.\r\n"),
                row("a\r.\nDATA\r\n", "a\r\n..\r\nDATA\r\n.\r\n"),
                row("a\n.\nQUIT\n", "a\r\n..\r\nQUIT\r\n.\r\n"),
                row("a\r\n.\r\nQUIT\r\n", "a\r\n..\r\nQUIT\r\n.\r\n"),
                row("body ends with\r.\r", "body ends with\r\n..\r\n.\r\n"),
                row("body ends with\r.\r\n", "body ends with\r\n..\r\n.\r\n"),
                row("body ends with\n.\n", "body ends with\r\n..\r\n.\r\n"),
                // plain dot-stuffing
                row(".start\r\n", "..start\r\n.\r\n"),
                row("..\r\n", "...\r\n.\r\n"),
                row(".", "..\r\n.\r\n"),
                row("mid.line. dots.\r\n", "mid.line. dots.\r\n.\r\n"),
                row("\r\n.\r\n", "\r\n..\r\n.\r\n"),
                // line ends: only CRLF
                row("", ".\r\n"),
                row("no final line end", "no final line end\r\n.\r\n"),
                row("ends with CR\r", "ends with CR\r\n.\r\n"),
                row("ends with LF\n", "ends with LF\r\n.\r\n"),
                row("\r", "\r\n.\r\n"),
                row("\n", "\r\n.\r\n"),
                row("\r\n", "\r\n.\r\n"),
                row("a\r\r\rb", "a\r\n\r\n\r\nb\r\n.\r\n"),
                row("a\n\r\nb", "a\r\n\r\nb\r\n.\r\n"),
                row("a\n\rb", "a\r\n\r\nb\r\n.\r\n"),
                row("x\r\r\n.y", "x\r\n\r\n..y\r\n.\r\n"),
                row("\r.\r.\n.", "\r\n..\r\n..\r\n..\r\n.\r\n"),
                // 8-bit bytes pass as they are
                row("\u00ff.\u0080\r\n.\u00e9\r\n", "\u00ff.\u0080\r\n..\u00e9\r\n.\r\n"));
    }

    private static Arguments row(String in, String wire) {
        String name = in.isEmpty() ? "(empty)" : in.replace("\r", "\\r").replace("\n", "\\n");
        return Arguments.of(name, in.getBytes(ISO_8859_1), wire.getBytes(ISO_8859_1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void sameBytesOnTheWireHoweverTheInputIsCut(String name, byte[] in, byte[] expected) throws IOException {
        assertThat(show(byteByByte(in))).as("byte by byte").isEqualTo(show(expected));
        for (int size = 1; size <= Math.max(1, in.length); size++) {
            assertThat(show(inChunks(in, size))).as("chunks of %d", size).isEqualTo(show(expected));
        }
        for (int split = 0; split <= in.length; split++) {
            assertThat(show(splitAt(in, split))).as("split at %d", split).isEqualTo(show(expected));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void whatIsSignedIsWhatThePeerStores(String name, byte[] in, byte[] wire) {
        // The peer removes the stuffed dots and the final "." (RFC 5321 §4.5.2): that must be normalized(in).
        String received = new String(wire, ISO_8859_1);
        received = received.substring(0, received.length() - 3).replace("\r\n.", "\r\n");
        if (received.startsWith(".")) received = received.substring(1);
        assertThat(show(DataTransparency.normalized(in))).isEqualTo(show(received.getBytes(ISO_8859_1)));
    }

    /** Random messages over the bytes that matter: the invariants hold and the cut never changes the output. */
    @Test
    void randomMessagesNeverCarryAnEarlyEndOfData() throws IOException {
        byte[] alphabet = {'\r', '\n', '.', 'a', ' '};
        Random random = new Random(5321);
        for (int round = 0; round < 3000; round++) {
            byte[] in = new byte[random.nextInt(40)];
            for (int i = 0; i < in.length; i++) in[i] = alphabet[random.nextInt(alphabet.length)];
            byte[] wire = byteByByte(in);
            String w = new String(wire, ISO_8859_1);
            if (in.length == 0) {
                assertThat(w).isEqualTo(".\r\n");
                continue;
            }
            assertThat(w).as(show(in)).endsWith("\r\n.\r\n");
            String body = w.substring(0, w.length() - 3);
            assertThat(body.indexOf("\r\n.\r\n")).as(show(in)).isNegative();
            assertThat(body).as(show(in)).doesNotStartWith(".\r\n");
            assertThat(body.replace("\r\n", "")).as("no bare CR or LF in " + show(in)).doesNotContain("\r").doesNotContain("\n");
            int size = 1 + random.nextInt(Math.max(1, in.length));
            assertThat(show(inChunks(in, size))).as("chunks of %d of %s", size, show(in)).isEqualTo(show(wire));
        }
    }

    @Test
    void nothingIsWrittenAfterTheEnd() throws IOException {
        DataTransparency data = DataTransparency.data(new ByteArrayOutputStream());
        data.finish();
        data.finish(); // once only
        assertThatThrownBy(() -> data.write('x')).isInstanceOf(IOException.class);
    }

    private static byte[] byteByByte(byte[] in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataTransparency data = DataTransparency.data(out);
        for (byte b : in) data.write(b);
        data.finish();
        return out.toByteArray();
    }

    private static byte[] inChunks(byte[] in, int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataTransparency data = DataTransparency.data(out);
        for (int off = 0; off < in.length; off += size) data.write(in, off, Math.min(size, in.length - off));
        data.finish();
        return out.toByteArray();
    }

    private static byte[] splitAt(byte[] in, int split) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataTransparency data = DataTransparency.data(out);
        data.write(in, 0, split);
        data.write(in, split, in.length - split);
        data.finish();
        return out.toByteArray();
    }

    private static String show(byte[] b) {
        return new String(b, ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
    }
}
