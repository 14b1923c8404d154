package org.mailwright.mta;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The message as DATA carries it (RFC 5321 §4.5.2 transparency): a streaming filter, one byte at a time through a
 * three-state machine, so the result never depends on how the message is cut into writes.
 * <ul>
 * <li>Only CRLF ends a line (RFC 5321 §2.3.8): a bare CR and a bare LF each become CRLF. The next hop can then not
 *     read a line end where we did not mean one, and {@code \n.\n}, {@code \r.\r\n}, {@code \r.\n}… in a stored
 *     body can never look like the end of the data followed by commands ("SMTP smuggling").</li>
 * <li>A line starting with "." gets a second "." (§4.5.2); after the normalisation every line start is known.</li>
 * <li>{@link #finish()} ends a last line without CRLF with one, then writes the final ".".</li>
 * </ul>
 * The same machine without stuffing ({@link #normalized(byte[])}) gives the bytes the peer stores, so that the DKIM
 * signature covers exactly what is sent (RFC 6376 §5.3: sign the message in the form it is transmitted).
 */
final class DataTransparency extends OutputStream {
    /** At the start of a line: a "." here is stuffed. */
    private static final int LINE_START = 0;
    /** Inside a line. */
    private static final int IN_LINE = 1;
    /** After a CR: a LF completes the CRLF, anything else makes it a bare CR, ended as CRLF all the same. */
    private static final int AFTER_CR = 2;

    private final OutputStream out;
    private final boolean stuff;
    private int state = LINE_START;
    private boolean finished;

    private DataTransparency(OutputStream out, boolean stuff) {
        this.out = out;
        this.stuff = stuff;
    }

    /** The DATA section on {@code out}: normalised line ends, dot-stuffed; {@link #finish()} writes the end of data. */
    static DataTransparency data(OutputStream out) {
        return new DataTransparency(out, true);
    }

    /** The message with every line ended by CRLF, the last one too (empty stays empty): what the peer receives. */
    static byte[] normalized(byte[] message) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(message.length + 2);
        DataTransparency t = new DataTransparency(b, false);
        try {
            t.write(message, 0, message.length);
            t.endLastLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return b.toByteArray();
    }

    @Override
    public void write(int b) throws IOException {
        if (finished) throw new IOException("the data has ended");
        if (state == AFTER_CR) {
            crlf();
            if (b == '\n') return; // that was a CRLF
            // a bare CR: ended as a line above; b starts the next line
        }
        if (b == '\r') {
            state = AFTER_CR; // CR or CRLF: decided by the next byte
        } else if (b == '\n') {
            crlf(); // a bare LF
        } else {
            if (stuff && state == LINE_START && b == '.') out.write('.');
            out.write(b);
            state = IN_LINE;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        // Runs of ordinary bytes inside a line go out in one write; every other byte goes through the machine.
        int end = off + len;
        int i = off;
        while (i < end) {
            if (state == IN_LINE && !finished) {
                int run = i;
                while (run < end && b[run] != '\r' && b[run] != '\n') run++;
                if (run > i) {
                    out.write(b, i, run - i);
                    i = run;
                    continue;
                }
            }
            write(b[i++]);
        }
    }

    /** Ends the last line with CRLF if it has none, then writes "." CRLF (RFC 5321 §4.1.1.4); flushes. */
    void finish() throws IOException {
        if (finished) return;
        endLastLine();
        out.write(new byte[] {'.', '\r', '\n'});
        finished = true;
        out.flush();
    }

    private void endLastLine() throws IOException {
        if (state != LINE_START) crlf();
    }

    private void crlf() throws IOException {
        out.write('\r');
        out.write('\n');
        state = LINE_START;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Does not close the connection underneath: the session goes on after the data. */
    @Override
    public void close() throws IOException {
        finish();
    }
}
