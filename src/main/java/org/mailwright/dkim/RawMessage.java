package org.mailwright.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A message in wire format split into header fields and body, without copying:
 * fields and body are ranges of {@link #bytes()}. Header field syntax: RFC 5322 §2.2.
 */
public record RawMessage(byte[] bytes, List<Field> fields, int bodyStart) {

    /**
     * One header field: {@code bytes[start, end)} is "Name: value" including any folding CRLFs,
     * without the final CRLF. {@code name} is null for a line without a colon.
     */
    public record Field(String name, int start, int end, int colon) {
        public boolean is(String lowerCaseName) {
            return name != null && name.toLowerCase(Locale.ROOT).equals(lowerCaseName);
        }
    }

    /** Parses {@code message}, whose lines must end with CRLF (see {@link #toCrlf}). */
    public static RawMessage parse(byte[] message) {
        List<Field> fields = new ArrayList<>();
        int len = message.length;
        int pos = 0;
        int bodyStart = len; // no empty line: the message is all header, the body is empty
        int fieldStart = -1;
        int fieldEnd = -1;
        while (pos < len) {
            int eol = indexOfCrlf(message, pos);
            int lineEnd = eol < 0 ? len : eol;
            int next = eol < 0 ? len : eol + 2;
            if (lineEnd == pos) { // the empty line that ends the header section
                bodyStart = next;
                break;
            }
            byte first = message[pos];
            if ((first == ' ' || first == '\t') && fieldStart >= 0) {
                fieldEnd = lineEnd; // continuation of a folded field
            } else {
                if (fieldStart >= 0) {
                    fields.add(field(message, fieldStart, fieldEnd));
                }
                fieldStart = pos;
                fieldEnd = lineEnd;
            }
            pos = next;
        }
        if (fieldStart >= 0) {
            fields.add(field(message, fieldStart, fieldEnd));
        }
        return new RawMessage(message, List.copyOf(fields), bodyStart);
    }

    /** The last field with this name (RFC 6376 §5.4.2 signs instances bottom-up), or null. */
    Field last(String lowerCaseName) {
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (fields.get(i).is(lowerCaseName)) {
                return fields.get(i);
            }
        }
        return null;
    }

    /**
     * Returns the message with every bare LF turned into CRLF, as SMTP carries it
     * (RFC 5321 §2.3.8); the same array when there is none.
     */
    static byte[] toCrlf(byte[] m) {
        int bare = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\n' && (i == 0 || m[i - 1] != '\r')) {
                bare++;
            }
        }
        if (bare == 0) {
            return m;
        }
        byte[] out = new byte[m.length + bare];
        int j = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\n' && (i == 0 || m[i - 1] != '\r')) {
                out[j++] = '\r';
            }
            out[j++] = m[i];
        }
        return out;
    }

    private static Field field(byte[] m, int start, int end) {
        for (int i = start; i < end; i++) {
            if (m[i] == ':') {
                int nameEnd = i;
                while (nameEnd > start && (m[nameEnd - 1] == ' ' || m[nameEnd - 1] == '\t')) {
                    nameEnd--;
                }
                String name = new String(m, start, nameEnd - start, StandardCharsets.ISO_8859_1);
                return new Field(name, start, end, i);
            }
        }
        return new Field(null, start, end, -1);
    }

    private static int indexOfCrlf(byte[] m, int from) {
        for (int i = from; i < m.length - 1; i++) {
            if (m[i] == '\r' && m[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
