package org.mailwright.mda;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.mailwright.queue.Envelope;

/** A queued message as a Unix mailbox file holds it: LF line ends, delivery headers first. */
final class UnixText {
    private UnixText() {}

    /**
     * Copies a wire-format message (CRLF) as a Unix mailbox file wants it (LF), with Return-Path and
     * Delivered-To first (RFC 5321 §4.4). {@code fromQuoting} applies mboxrd's {@code >From } quoting.
     */
    static void copy(Envelope e, InputStream in, OutputStream out, boolean fromQuoting) throws IOException {
        out.write(("Return-Path: <" + e.from() + ">\nDelivered-To: " + e.to() + "\n").getBytes(StandardCharsets.UTF_8));
        InputStream buffered = new BufferedInputStream(in, 65536);
        ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        int c;
        boolean more = true;
        while (more) {
            line.reset();
            while ((c = buffered.read()) != -1 && c != '\n') line.write(c);
            more = c != -1;
            if (!more && line.size() == 0) break;
            byte[] b = line.toByteArray();
            int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
            if (fromQuoting && isFromLine(b, len)) out.write('>');
            out.write(b, 0, len);
            out.write('\n');
        }
    }

    /** mboxrd: a line that reads {@code >*From } gets one more {@code >} so it cannot start a message. */
    private static boolean isFromLine(byte[] b, int len) {
        int i = 0;
        while (i < len && b[i] == '>') i++;
        return len - i >= 5 && b[i] == 'F' && b[i + 1] == 'r' && b[i + 2] == 'o' && b[i + 3] == 'm' && b[i + 4] == ' ';
    }
}
