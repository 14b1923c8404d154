package org.mailwright.ui;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Follows {@code DATA/log/maillog} like {@code tail -F}: reads what is there, then polls for new complete lines,
 * and starts from the top of a new file after rotation. Runs on its own daemon thread; hands lines over in batches.
 */
public final class MaillogTail implements AutoCloseable {
    private static final long POLL_MILLIS = 200;
    private static final int CHUNK = 1 << 20;

    private final Path file;
    private final Consumer<List<String>> batches;
    private final Thread thread;
    private volatile boolean running = true;
    private long position;
    private Object fileKey;
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    private byte[] partial = new byte[0];

    public MaillogTail(Path file, Consumer<List<String>> batches) {
        this.file = file;
        this.batches = batches;
        this.thread = new Thread(this::run, "mailwright-maillog-tail");
        this.thread.setDaemon(true);
    }

    public MaillogTail start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try {
                readNew();
            } catch (NoSuchFileException e) {
                position = 0;
                fileKey = null;
            } catch (IOException e) {
                // the file is being rotated or not readable for a moment: try again at the next poll
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads every complete line added since the last call. */
    void readNew() throws IOException {
        Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        long size = Files.size(file);
        if ((fileKey != null && key != null && !key.equals(fileKey)) || size < position) {
            position = 0; // rotated or truncated: a new file from its first line
            partial = new byte[0];
        }
        fileKey = key;
        if (size == position) return;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(position);
            while (running) {
                buffer.clear();
                int n = ch.read(buffer);
                if (n <= 0) break;
                position += n;
                List<String> lines = split(buffer.array(), n);
                if (!lines.isEmpty()) batches.accept(lines);
            }
        }
    }

    private List<String> split(byte[] bytes, int n) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (bytes[i] != '\n') continue;
            if (partial.length > 0) {
                byte[] joined = new byte[partial.length + i - start];
                System.arraycopy(partial, 0, joined, 0, partial.length);
                System.arraycopy(bytes, start, joined, partial.length, i - start);
                lines.add(new String(joined, StandardCharsets.UTF_8));
                partial = new byte[0];
            } else {
                lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
            }
            start = i + 1;
        }
        if (start < n) { // an incomplete last line: keep it until its newline arrives
            byte[] rest = new byte[partial.length + n - start];
            System.arraycopy(partial, 0, rest, 0, partial.length);
            System.arraycopy(bytes, start, rest, partial.length, n - start);
            partial = rest;
        }
        return lines;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
