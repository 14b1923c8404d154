package org.mailwright.mda;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.mailwright.queue.Envelope;

/** The mda role: puts a queued message into a local user's mailbox, all or nothing. */
public interface LocalDelivery {

    /** What the scheduler must record before an append can start (mbox crash recovery). */
    interface Journal {
        void beforeAppend(Envelope withOffset) throws IOException;
    }

    /**
     * Delivers the message to the envelope's local user. {@code recovered} is true for envelopes found on
     * disk at start-up: the delivery may already have happened just before a crash and must not happen twice.
     */
    void deliver(Envelope envelope, Path message, boolean recovered, Journal journal) throws DeliveryException;

    /** Where the user's mail is, for messages and tests. */
    Path mailbox(String user);

    /**
     * Copies a wire-format message (CRLF) as a Unix mailbox file wants it (LF), with Return-Path and
     * Delivered-To first (RFC 5321 §4.4). {@code fromQuoting} applies mboxrd's {@code >From } quoting.
     */
    static void copyAsUnixText(Envelope e, InputStream in, OutputStream out, boolean fromQuoting) throws IOException {
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
