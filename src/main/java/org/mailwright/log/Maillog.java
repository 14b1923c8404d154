package org.mailwright.log;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The maillog: one event per line, {@code TIMESTAMP ID ROLE EVENT key=value ...}, like OpenSMTPD's.
 * A person grepping for an address follows a message from {@code connected} to {@code delivery result=Ok}.
 * Rotated by size: {@code maillog.1} … {@code maillog.N} keep the older lines.
 */
public final class Maillog implements AutoCloseable {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final long rotateBytes;
    private final int keep;
    private BufferedWriter out;
    private long size;

    public Maillog(Path file, long rotateBytes, int keep) throws IOException {
        this.file = file;
        this.rotateBytes = rotateBytes;
        this.keep = keep;
        Files.createDirectories(file.toAbsolutePath().getParent());
        open();
    }

    public static Maillog open(Path dataDir) throws IOException {
        return new Maillog(dataDir.resolve("log").resolve("maillog"), 10L * 1024 * 1024, 10);
    }

    private void open() throws IOException {
        out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8));
        size = Files.size(file);
    }

    public Path file() {
        return file;
    }

    /** Writes one event. {@code fields} alternate key and value; values with spaces or quotes are quoted. */
    public void event(String id, String role, String event, Object... fields) {
        StringBuilder b = new StringBuilder(160);
        b.append(TIME.format(Instant.now())).append(' ').append(id == null || id.isEmpty() ? "-" : word(id))
                .append(' ').append(word(role)).append(' ').append(word(event));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i + 1] == null) continue;
            b.append(' ').append(word(String.valueOf(fields[i]))).append('=').append(value(String.valueOf(fields[i + 1])));
        }
        line(b.toString());
    }

    private synchronized void line(String line) {
        try {
            if (size > rotateBytes) rotate();
            out.write(line);
            out.write('\n');
            out.flush();
            size += line.getBytes(StandardCharsets.UTF_8).length + 1; // bytes on disk, not characters
        } catch (IOException e) {
            // The log must never take the mail down with it: say it once on stderr and go on.
            Stderr.warn("cannot write " + file + ": " + e.getMessage());
        }
    }

    private void rotate() throws IOException {
        out.close();
        for (int i = keep - 1; i >= 1; i--) {
            Path from = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.exists(from)) {
                Files.move(from, file.resolveSibling(file.getFileName() + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    /**
     * Quotes a value when it has spaces, quotes or is empty. Unprintable characters ({@link Printable#unprintable}:
     * controls such as CR, LF, NUL, ESC, DEL, C1 controls, line separators, bidi overrides) become "?": a value can
     * neither break the line nor forge another one, nor act on the terminal of whoever reads the log.
     */
    static String value(String v) {
        boolean plain = !v.isEmpty();
        StringBuilder b = new StringBuilder(v.length() + 2);
        for (int i = 0; i < v.length(); ) {
            int c = v.codePointAt(i);
            i += Character.charCount(c);
            if (c == ' ' || c == '"' || c == '\\' || c == '=') plain = false;
            if (c == '"' || c == '\\') b.append('\\').append((char) c);
            else if (Printable.unprintable(c)) b.append('?');
            else b.appendCodePoint(c);
        }
        return plain ? b.toString() : "\"" + b + "\"";
    }

    /** The id, role, event and keys: single words, so unprintable characters and spaces become "?". */
    private static String word(String w) {
        StringBuilder b = new StringBuilder(w.length());
        for (int i = 0; i < w.length(); ) {
            int c = w.codePointAt(i);
            i += Character.charCount(c);
            b.appendCodePoint(c == ' ' || c == '=' || Printable.unprintable(c) ? '?' : c);
        }
        return b.toString();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
