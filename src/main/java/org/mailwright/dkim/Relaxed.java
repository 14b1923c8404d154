package org.mailwright.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The "relaxed" canonicalization algorithms of RFC 6376 §3.4.2 (header) and §3.4.4 (body). */
final class Relaxed {

    private Relaxed() {
    }

    /**
     * Appends the relaxed form of one header field, with its final CRLF (RFC 6376 §3.4.2):
     * name lower-cased, CRLFs of folding removed, WSP runs reduced to one SP, WSP at the
     * end of the value and around the colon deleted.
     */
    static void header(RawMessage.Field field, byte[] m, ByteArrayOutputStream out) {
        byte[] name = field.name().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1);
        out.write(name, 0, name.length);
        out.write(':');
        boolean pendingSpace = false;
        boolean started = false;
        int end = field.end();
        for (int i = field.colon() + 1; i < end; i++) {
            byte b = m[i];
            if (b == '\r' && i + 1 < end && m[i + 1] == '\n') {
                i++; // unfold: delete the CRLF, keep the WSP that follows it
            } else if (b == ' ' || b == '\t') {
                pendingSpace = true;
            } else {
                if (pendingSpace && started) {
                    out.write(' ');
                }
                pendingSpace = false;
                started = true;
                out.write(b);
            }
        }
        out.write('\r');
        out.write('\n');
    }

    /**
     * The relaxed form of the body {@code m[start, end)} (RFC 6376 §3.4.4): WSP runs inside a
     * line become one SP, WSP at line ends is deleted, empty lines at the end are ignored, and a
     * non-empty body gets a final CRLF if it lacks one. An empty body stays empty.
     * WSP at the end of a last line without CRLF is deleted too, as the RFC says (python3-dkim
     * 1.1.4 keeps it); SMTP always ends the data with CRLF, so a sent message never hits that case.
     */
    static byte[] body(byte[] m, int start, int end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(16, end - start));
        int pendingEmptyLines = 0;
        int pos = start;
        while (pos < end) {
            int eol = pos;
            while (eol < end && !(m[eol] == '\r' && eol + 1 < end && m[eol + 1] == '\n')) {
                eol++;
            }
            // canonicalize the line m[pos, eol)
            boolean pendingSpace = false;
            boolean any = false;
            for (int i = pos; i < eol; i++) {
                byte b = m[i];
                if (b == ' ' || b == '\t') {
                    pendingSpace = true;
                } else {
                    if (!any) {
                        // first non-WSP byte of the line: flush the empty lines held back
                        for (; pendingEmptyLines > 0; pendingEmptyLines--) {
                            out.write('\r');
                            out.write('\n');
                        }
                    }
                    if (pendingSpace) {
                        out.write(' '); // leading WSP too is kept as one SP
                    }
                    pendingSpace = false;
                    any = true;
                    out.write(b);
                }
            }
            if (any) {
                out.write('\r');
                out.write('\n');
            } else {
                pendingEmptyLines++; // empty after canonicalization; dropped if nothing follows
            }
            pos = eol < end ? eol + 2 : end;
        }
        return out.toByteArray();
    }
}
