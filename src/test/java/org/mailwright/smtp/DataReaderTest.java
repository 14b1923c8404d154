package org.mailwright.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The DATA reader alone, fed in reads of every size from 1 byte up: the same input must give the same
 * message, the same ending and leave the same bytes for the command reader, wherever the reads split it.
 */
class DataReaderTest {
    private static final String AFTER = "QUIT\r\n";

    static Stream<Arguments> cases() {
        String longLine = "z".repeat(DataReader.MAX_LINE + 1);
        return Stream.of(
                Arguments.of("plain", "Subject: a\r\n\r\nbody\r\n.\r\n", DataReader.End.OK, "Subject: a\r\n\r\nbody\r\n"),
                Arguments.of("dot-stuffed", "S: a\r\n\r\n..x\r\n...\r\n.\r\n", DataReader.End.OK, "S: a\r\n\r\n.x\r\n..\r\n"),
                Arguments.of("header only", "S: a\r\n.\r\n", DataReader.End.OK, "S: a\r\n"),
                Arguments.of("empty", ".\r\n", DataReader.End.OK, ""),
                Arguments.of("998 characters", "S: a\r\n\r\n" + "z".repeat(998) + "\r\n.\r\n", DataReader.End.OK,
                        "S: a\r\n\r\n" + "z".repeat(998) + "\r\n"),
                Arguments.of("999 characters then a fake end", "S: a\r\n\r\n" + longLine + ".\r\nMAIL FROM:<x@y>\r\n.\r\n",
                        DataReader.End.LINE_TOO_LONG, null),
                Arguments.of("bare LF", "S: a\r\n\r\nx\n.\nRSET\r\n.\r\n", DataReader.End.BARE_LINE_END, null),
                Arguments.of("bare CR", "S: a\r\n\r\nx\r.\r\nRSET\r\n.\r\n", DataReader.End.BARE_LINE_END, null),
                Arguments.of("too big", "S: a\r\n\r\n" + ("w".repeat(900) + "\r\n").repeat(3) + ".\r\n", DataReader.End.TOO_BIG, null),
                Arguments.of("end of stream", "S: a\r\n\r\nbody\r\n", DataReader.End.EOF, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyReadSizeGivesTheSameResult(String name, String input, DataReader.End end, String message) throws IOException {
        for (int chunk = 1; chunk <= input.length() + AFTER.length(); chunk = chunk < 64 ? chunk + 1 : chunk * 2) {
            InputStream raw = new BufferedInputStream(new Trickle(bytes(input + AFTER), chunk), 8192);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DataReader r = new DataReader(raw, null, out, 2000, 0, 0, new PassThrough());
            assertThat(r.copy()).as("%s in reads of %d", name, chunk).isEqualTo(end);
            if (message != null) assertThat(out.toString(StandardCharsets.ISO_8859_1)).as("read %d", chunk).isEqualTo(message);
            if (end != DataReader.End.BARE_LINE_END && end != DataReader.End.EOF) {
                assertThat(new String(raw.readAllBytes(), StandardCharsets.ISO_8859_1)).as("left after the terminator").isEqualTo(AFTER);
            }
        }
    }

    @ParameterizedTest(name = "a write failure after {0} bytes")
    @MethodSource("failurePoints")
    void aFailingSpoolIsDrainedToTheTerminator(int failAfter) throws IOException {
        String input = "Subject: x\r\n\r\n" + "line\r\n".repeat(50) + ".\r\n";
        InputStream raw = new BufferedInputStream(new ByteArrayInputStream(bytes(input + AFTER)));
        OutputStream full = new OutputStream() {
            int n;

            @Override
            public void write(int b) throws IOException {
                if (++n > failAfter) throw new IOException("No space left on device");
            }
        };
        DataReader r = new DataReader(raw, null, full, 1 << 20, 0, 0, new PassThrough());
        assertThat(r.copy()).isEqualTo(DataReader.End.WRITE_FAILED);
        assertThat(r.writeFailure()).hasMessageContaining("No space");
        assertThat(new String(raw.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(AFTER);
    }

    static Stream<Integer> failurePoints() {
        return Stream.of(0, 1, 13, 100, 250);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void theFieldsAreFoundUnfolded(String header, String from, String sender, boolean messageId) throws IOException {
        DataReader.Fields f = new DataReader.Fields();
        InputStream raw = new BufferedInputStream(new ByteArrayInputStream(bytes(header + "\r\nbody\r\n.\r\n")));
        new DataReader(raw, null, OutputStream.nullOutputStream(), 1 << 20, 0, 0, new DataReader.HeaderSink() {
            @Override
            public void line(byte[] b, int off, int len, OutputStream out) {
                f.see(b, off, len);
            }

            @Override
            public void end(OutputStream out) {}
        }).copy();
        assertThat(String.join("|", f.values("from"))).isEqualTo(from);
        assertThat(String.join("|", f.values("sender"))).isEqualTo(sender);
        assertThat(f.hasMessageId).isEqualTo(messageId);
    }

    static Stream<Arguments> headers() {
        return Stream.of(
                Arguments.of("From: a@b.test\r\n", "a@b.test", "", false),
                Arguments.of("FROM:a@b.test\r\nMessage-Id: <1@b>\r\n", "a@b.test", "", true),
                Arguments.of("From: A <a@b.test>,\r\n\tB <b@b.test>\r\nSubject: x\r\n", "A <a@b.test>,\tB <b@b.test>", "", false),
                Arguments.of("From: a@b.test\r\nSender: s@b.test\r\nFrom: c@d.test\r\n", "a@b.test|c@d.test", "s@b.test", false),
                Arguments.of("Subject: From: x@y.test\r\nX-From: y@z.test\r\n", "", "", false));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes the header lines through as they are. */
    private static final class PassThrough implements DataReader.HeaderSink {
        @Override
        public void line(byte[] b, int off, int len, OutputStream out) throws IOException {
            out.write(b, off, len);
            out.write(new byte[] {'\r', '\n'});
        }

        @Override
        public void end(OutputStream out) {}
    }

    /** A stream that gives at most {@code chunk} bytes per read, as a slow network would. */
    private static final class Trickle extends FilterInputStream {
        private final int chunk;

        Trickle(byte[] data, int chunk) {
            super(new ByteArrayInputStream(data));
            this.chunk = chunk;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, chunk));
        }

        @Override
        public int available() {
            return 0;
        }
    }
}
