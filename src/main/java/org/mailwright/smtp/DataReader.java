package org.mailwright.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the text after DATA up to the one real terminator, {@code CRLF . CRLF} (RFC 5321 §4.1.1.4).
 *
 * <p>Lines are found by CRLF alone, byte by byte, whatever the read sizes: a bare CR or LF ends the
 * reading at once ({@link End#BARE_LINE_END}: the caller closes, RFC 5321 §2.3.8), and a line longer than
 * RFC 5321 §4.5.3.1.6 allows is never cut into two lines — its bytes are counted and dropped, the rest is
 * read to the terminator, and the message is refused. Nothing after the terminator is consumed: the
 * command reader of the session gets it. Memory is one line (1000 bytes) and one read buffer, whatever the
 * client sends.
 *
 * <p>The header block is handed to a {@link HeaderSink} line by line; body lines go straight to the spool
 * stream. A failing spool stream (disk full) does not stop the reading: the rest is drained and the caller
 * answers 451 only at the terminator.
 *
 * <p>Slow senders: the time allowed grows with the bytes received ({@code minDataRate} bytes per second,
 * as Postfix's {@code smtpd_min_data_rate}) but never beyond one idle timeout ahead, so a client trickling a
 * byte now and then runs out of time ({@link End#TOO_SLOW}).
 */
final class DataReader {
    /** 998 characters and CRLF (RFC 5321 §4.5.3.1.6). */
    static final int MAX_LINE = 998;
    private static final int CHUNK = 8192;

    /** How reading the data ended. */
    enum End { OK, TOO_BIG, LINE_TOO_LONG, BARE_LINE_END, WRITE_FAILED, TOO_SLOW, EOF }

    /** Receives the unstuffed header lines (without CRLF) and is told where the header ends. */
    interface HeaderSink {
        /** One header line; the sink writes it (or not) to {@code out}. */
        void line(byte[] b, int off, int len, OutputStream out) throws IOException;

        /** The empty line that ends the header, or the end of a message that has no body. */
        void end(OutputStream out) throws IOException;
    }

    private final InputStream raw;
    private final Socket socket;
    private final long max;
    private final long idleMillis;
    private final long minDataRate;
    private final HeaderSink header;
    private final OutputStream out;
    private IOException writeFailure;
    long size;

    /**
     * @param raw the session's buffered input (mark/reset is used to leave what follows the terminator)
     * @param socket where read timeouts are set; null when there is none (tests of the reader alone)
     * @param idleMillis the idle timeout, 0 for none (then no rate is enforced either)
     */
    DataReader(InputStream raw, Socket socket, OutputStream out, long max, long idleMillis, long minDataRate, HeaderSink header) {
        if (!raw.markSupported()) throw new IllegalArgumentException("DATA needs a buffered input stream");
        this.raw = raw;
        this.socket = socket;
        this.out = out;
        this.max = max;
        this.idleMillis = idleMillis;
        this.minDataRate = minDataRate;
        this.header = header;
    }

    /** The first write error on the spool stream, once {@link #copy()} returned {@link End#WRITE_FAILED}. */
    IOException writeFailure() {
        return writeFailure;
    }

    End copy() throws IOException {
        byte[] buf = new byte[CHUNK];
        byte[] line = new byte[MAX_LINE];
        int len = 0;
        boolean cr = false;
        boolean overlong = false;
        boolean lineTooLong = false;
        boolean inHeader = true;
        long deadline = System.currentTimeMillis() + idleMillis;
        int restoreTimeout = socket == null ? 0 : socket.getSoTimeout();
        try {
            for (;;) {
                raw.mark(CHUNK);
                int n;
                try {
                    if (paced()) {
                        long left = deadline - System.currentTimeMillis();
                        if (left <= 0) return End.TOO_SLOW;
                        socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                    }
                    n = raw.read(buf, 0, CHUNK);
                } catch (SocketTimeoutException e) {
                    return End.TOO_SLOW;
                }
                if (n == -1) return End.EOF;
                if (paced()) {
                    long now = System.currentTimeMillis();
                    deadline = Math.min(now + idleMillis, deadline + n * 1000L / minDataRate);
                }
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (cr) {
                        if (b != '\n') return End.BARE_LINE_END;
                        cr = false;
                        // a whole line: line[0..len), or an over-long one that was counted and dropped
                        if (!overlong && len == 1 && line[0] == '.') {
                            raw.reset();
                            raw.skip(i + 1L); // leave what follows the terminator to the command reader
                            if (inHeader && !refused(lineTooLong)) header.end(sink);
                            if (size > max) return End.TOO_BIG;
                            if (lineTooLong) return End.LINE_TOO_LONG;
                            return writeFailure != null ? End.WRITE_FAILED : End.OK;
                        }
                        if (overlong) {
                            lineTooLong = true;
                            size += len + 2;
                        } else {
                            int start = len > 0 && line[0] == '.' ? 1 : 0; // dot-unstuffing (RFC 5321 §4.5.2)
                            size += len - start + 2;
                            if (!refused(lineTooLong)) {
                                if (!inHeader) {
                                    write(line, start, len - start);
                                } else if (len - start == 0) {
                                    inHeader = false;
                                    header.end(sink);
                                    write(line, 0, 0);
                                } else {
                                    header.line(line, start, len - start, sink);
                                }
                            }
                        }
                        len = 0;
                        overlong = false;
                        continue;
                    }
                    if (b == '\r') {
                        cr = true;
                    } else if (b == '\n') {
                        return End.BARE_LINE_END;
                    } else if (len < MAX_LINE) {
                        line[len++] = b;
                    } else {
                        overlong = true;
                        size++;
                    }
                }
                if (size > 2 * max + 1024 * 1024) throw new TooMuchData();
            }
        } finally {
            if (socket != null && !socket.isClosed()) socket.setSoTimeout(restoreTimeout);
        }
    }

    private boolean paced() {
        return socket != null && idleMillis > 0 && minDataRate > 0;
    }

    /** Once the message is refused anyway, nothing more is written; the reading goes on to the terminator. */
    private boolean refused(boolean lineTooLong) {
        return lineTooLong || size > max || writeFailure != null;
    }

    /** Writes one line and its CRLF; a failure is remembered by {@link #sink}, and the reading goes on. */
    private void write(byte[] b, int off, int len) {
        sink.write(b, off, len);
        sink.write(CRLF, 0, 2);
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** The spool stream as the reader and the header sink see it: the first failure is remembered, nothing written after it. */
    private final Remembering sink = new Remembering();

    private final class Remembering extends OutputStream {
        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (writeFailure != null) return;
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                writeFailure = e;
            }
        }
    }

    /** Far more than the size limit: the client is not listening to our limits, close the session. */
    static final class TooMuchData extends IOException {
        TooMuchData() {
            super("message far too large");
        }
    }

    /**
     * The header lines that DATA looks at on the way through: Message-ID and Date (added on submission when
     * missing), and the addresses of From: and Sender: (checked on submission), unfolded and bounded.
     */
    static final class Fields {
        private static final int MAX_FIELD = 16 * 1024;

        private record Field(String name, StringBuilder text) {}

        private final List<Field> fields = new ArrayList<>();
        private Field current;
        private boolean tooLong;
        boolean hasMessageId;
        boolean hasDate;

        /** Looks at one header line (no CRLF). */
        void see(byte[] b, int off, int len) {
            if (len > 0 && (b[off] == ' ' || b[off] == '\t')) { // folded (RFC 5322 §2.2.3)
                if (current != null) append(b, off, len);
                return;
            }
            current = null;
            int colon = indexOf(b, off, Math.min(len, 32), (byte) ':');
            if (colon <= off) return;
            String name = new String(b, off, colon - off, StandardCharsets.US_ASCII).strip().toLowerCase(Locale.ROOT);
            switch (name) {
                case "message-id" -> hasMessageId = true;
                case "date" -> hasDate = true;
                case "from", "sender" -> {
                    current = new Field(name, new StringBuilder());
                    fields.add(current);
                    append(b, colon + 1, off + len - colon - 1);
                }
                default -> { }
            }
        }

        private void append(byte[] b, int off, int len) {
            if (current.text().length() + len > MAX_FIELD) {
                tooLong = true;
                return;
            }
            current.text().append(new String(b, off, len, StandardCharsets.UTF_8));
        }

        /** The unfolded text of every field of this name ({@code from}, {@code sender}); RFC 5322 allows one. */
        List<String> values(String name) {
            return fields.stream().filter(f -> f.name().equals(name)).map(f -> f.text().toString().strip()).toList();
        }

        /** True when a From: or Sender: field was longer than this reader keeps; such a message is refused. */
        boolean tooLong() {
            return tooLong;
        }

        private static int indexOf(byte[] b, int off, int len, byte c) {
            for (int i = off; i < off + len; i++) if (b[i] == c) return i;
            return -1;
        }
    }
}
