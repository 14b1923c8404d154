package org.mailwright.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.mailwright.log.MaillogEntry;

/**
 * Reads {@code DATA/log/maillog} the way {@link org.mailwright.log.Maillog} rotates it: {@code maillog.N} …
 * {@code maillog.1} hold the older lines, oldest first. Following keeps the open file until it is drained and then
 * moves to the new {@code maillog} (as {@code tail -F}), so no line is lost across a rotation.
 */
final class MaillogReader {
    /** Lines shown before following when no --since is given, as tail -f does. */
    static final int FOLLOW_BACKLOG = 10;
    private static final int MAX_ROTATED = 99;
    private static final long POLL_MILLIS = 200;

    private final Path file;

    MaillogReader(Path dataDir) {
        this.file = dataDir.resolve("log").resolve("maillog");
    }

    List<String> since(Instant since) {
        try {
            List<String> out = new ArrayList<>();
            Filter f = new Filter(since, out::add);
            for (Path p : rotatedOldestFirst()) {
                // a rotated file last written before `since` holds nothing to show: skip reading it
                if (since != null && Files.getLastModifiedTime(p).toInstant().isBefore(since)) continue;
                Files.readAllLines(p, StandardCharsets.UTF_8).forEach(f);
            }
            if (Files.exists(file)) Files.readAllLines(file, StandardCharsets.UTF_8).forEach(f);
            return out;
        } catch (IOException e) {
            throw new AdminException("cannot read " + file + ": " + e.getMessage() + " — check its permissions");
        }
    }

    AutoCloseable follow(Instant since, Consumer<String> lines) {
        Follower f = new Follower(since, lines);
        Thread t = new Thread(f, "maillog-follow");
        t.setDaemon(true);
        t.start();
        return () -> {
            f.stopped = true;
            t.interrupt();
        };
    }

    private List<Path> rotatedOldestFirst() {
        List<Path> out = new ArrayList<>();
        for (int i = MAX_ROTATED; i >= 1; i--) {
            Path p = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.exists(p)) out.add(p);
        }
        return out;
    }

    /** Lines at or after {@code since}; a line without a timestamp goes with the one before it. */
    private static final class Filter implements Consumer<String> {
        private final Instant since;
        private final Consumer<String> out;
        private boolean keeping;

        Filter(Instant since, Consumer<String> out) {
            this.since = since;
            this.out = out;
            this.keeping = since == null;
        }

        @Override
        public void accept(String line) {
            if (since != null) {
                var e = MaillogEntry.parse(line);
                if (e.isPresent()) keeping = !e.get().time().isBefore(since);
            }
            if (keeping) out.accept(line);
        }
    }

    private final class Follower implements Runnable {
        private final Instant since;
        private final Consumer<String> lines;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        volatile boolean stopped;

        Follower(Instant since, Consumer<String> lines) {
            this.since = since;
            this.lines = lines;
        }

        @Override
        public void run() {
            FileChannel ch = null;
            Object key = null;
            try {
                // Open first, then show the backlog up to where following starts: nothing falls in between.
                ch = open();
                key = key();
                long start = ch == null ? 0 : ch.size();
                backlog(start);
                if (ch != null) ch.position(start);
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                while (!stopped) {
                    if (ch != null) drain(ch, buf);
                    Object now = key();
                    if (ch == null || !Objects.equals(now, key) || (ch.size() < ch.position())) {
                        if (ch != null) {
                            drain(ch, buf); // the rest of the rotated file first
                            ch.close();
                        }
                        ch = open();
                        key = key();
                        if (ch != null) continue;
                    }
                    Thread.sleep(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                lines.accept("mailwright: stopped following " + file + ": " + e.getMessage());
            } finally {
                try {
                    if (ch != null) ch.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }

        private void backlog(long currentBytes) throws IOException {
            if (since != null) {
                Filter f = new Filter(since, lines);
                for (Path p : rotatedOldestFirst()) Files.readAllLines(p, StandardCharsets.UTF_8).forEach(f);
                currentLines(currentBytes).forEach(f);
                return;
            }
            ArrayDeque<String> last = new ArrayDeque<>();
            for (String l : currentLines(currentBytes)) {
                last.addLast(l);
                if (last.size() > FOLLOW_BACKLOG) last.removeFirst();
            }
            last.forEach(lines);
        }

        private List<String> currentLines(long bytes) throws IOException {
            if (bytes == 0 || !Files.exists(file)) return List.of();
            byte[] all = Files.readAllBytes(file);
            String text = new String(all, 0, (int) Math.min(bytes, all.length), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
            if (out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1); // after the last newline
            return out;
        }

        private FileChannel open() throws IOException {
            try {
                return FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        private Object key() throws IOException {
            try {
                return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        private void drain(FileChannel ch, ByteBuffer buf) throws IOException {
            while (true) {
                buf.clear();
                int n = ch.read(buf);
                if (n <= 0) return;
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b == '\n') {
                        lines.accept(partial.toString(StandardCharsets.UTF_8));
                        partial.reset();
                    } else {
                        partial.write(b);
                    }
                }
            }
        }
    }
}
