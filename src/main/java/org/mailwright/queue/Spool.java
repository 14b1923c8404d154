package org.mailwright.queue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.mailwright.io.DurableFiles;
import org.mailwright.log.Stderr;

/**
 * The durable spool, {@code DATA/queue/}:
 * <pre>
 *   incoming/MSGID/            a message being received (removed at start-up: never acknowledged)
 *   messages/MSGID/message     the message as received (CRLF lines), never changed
 *   messages/MSGID/EVPID.env   one envelope per recipient (JSON), replaced atomically
 * </pre>
 * A message becomes visible by one atomic rename of its directory from {@code incoming/} to
 * {@code messages/}, after every file in it is fsync'd: a crash before leaves nothing half-queued,
 * a crash after loses nothing. Only then does the SMTP session answer 250.
 */
public final class Spool {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final Path incoming;
    private final Path messages;
    private final ObjectMapper json;
    private final ConcurrentHashMap<String, Object> messageLocks = new ConcurrentHashMap<>();
    private final UserPrincipal owner;

    public Spool(Path dataDir) throws IOException {
        this(dataDir, null);
    }

    /**
     * A spool whose new directories and files are given to {@code owner} (null: left to whoever writes them):
     * root's {@code sendmail} while the engine is stopped queues for an engine that runs as the data directory's
     * owner and must be able to remove what it delivered.
     */
    public Spool(Path dataDir, UserPrincipal owner) throws IOException {
        this.owner = owner;
        Path root = dataDir.resolve("queue");
        this.incoming = root.resolve("incoming");
        this.messages = root.resolve("messages");
        DurableFiles.createPrivateDirectory(root);
        Files.createDirectories(incoming);
        Files.createDirectories(messages);
        own(root);
        own(incoming);
        own(messages);
        this.json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Removes what a crash left in {@code incoming/}: messages never acknowledged with 250. */
    public int purgeIncoming() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(incoming)) {
            for (Path d : dirs) {
                deleteTree(d);
                n++;
            }
        }
        return n;
    }

    /** A recipient of a message about to be committed. */
    /**
     * One envelope to make: {@code sender}, when not null, replaces the message's envelope sender for this one
     * (a forward's SRS address); {@code folder} is the mailbox folder of a local delivery (empty: the inbox).
     */
    public record Recipient(String to, String localUser, Envelope.Action action, String sender, String folder) {
        public Recipient(String to, String localUser, Envelope.Action action) {
            this(to, localUser, action, null, "");
        }

        public Recipient(String to, String localUser, Envelope.Action action, String sender) {
            this(to, localUser, action, sender, "");
        }

        /** The same recipient, delivered into {@code f} when it is a local one. */
        public Recipient inFolder(String f) {
            return action == Envelope.Action.DELIVER ? new Recipient(to, localUser, action, sender, f) : this;
        }
    }

    /** Starts receiving a message; write it to {@link Incoming#stream()}, then commit or abort. */
    public Incoming receive() throws IOException {
        for (;;) {
            String id = newId();
            Path dir = incoming.resolve(id);
            try {
                Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                continue;
            }
            if (Files.exists(messages.resolve(id))) {
                Files.delete(dir);
                continue;
            }
            own(dir);
            return new Incoming(id, dir);
        }
    }

    public final class Incoming implements AutoCloseable {
        private final String id;
        private final Path dir;
        private final FileChannel channel;
        private final OutputStream stream;
        private boolean done;

        private Incoming(String id, Path dir) throws IOException {
            this.id = id;
            this.dir = dir;
            this.channel = FileChannel.open(dir.resolve("message"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            own(dir.resolve("message"));
            this.stream = new BufferedOutputStream(Channels.newOutputStream(channel), 65536);
        }

        public String id() {
            return id;
        }

        public OutputStream stream() {
            return stream;
        }

        /** How many bytes were written so far. */
        public long size() throws IOException {
            stream.flush();
            return channel.size();
        }

        /** Up to {@code length} bytes written so far, from {@code offset} (for the receive checks). */
        public byte[] read(long offset, int length) throws IOException {
            stream.flush();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) Math.max(0, Math.min(length, channel.size() - offset)));
            readFully(b, offset);
            return b.array();
        }

        /**
         * Replaces the {@code oldLength} bytes written at {@code offset} with {@code replacement} (our header fields
         * added, forged ones removed), before {@link #commit}: what follows moves in 64 KiB steps, so a large
         * message is never held in memory.
         */
        public void replace(long offset, int oldLength, byte[] replacement) throws IOException {
            stream.flush();
            long size = channel.size();
            long tail = offset + oldLength;
            long shift = replacement.length - oldLength;
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(65536);
            if (shift > 0) { // from the end backwards, so nothing is overwritten before it moved
                for (long end = size; end > tail; ) {
                    long from = Math.max(tail, end - chunk.capacity());
                    move(chunk, from, (int) (end - from), from + shift);
                    end = from;
                }
            } else if (shift < 0) {
                for (long from = tail; from < size; from += chunk.capacity()) {
                    move(chunk, from, (int) Math.min(chunk.capacity(), size - from), from + shift);
                }
                channel.truncate(size + shift);
            }
            channel.write(java.nio.ByteBuffer.wrap(replacement), offset);
        }

        /** Positional reads from {@code offset} until {@code b} is full or the file ends. */
        private void readFully(java.nio.ByteBuffer b, long offset) throws IOException {
            while (b.hasRemaining() && channel.read(b, offset + b.position()) >= 0) {
                // the next read goes on where this one stopped
            }
        }

        private void move(java.nio.ByteBuffer chunk, long from, int length, long to) throws IOException {
            chunk.clear().limit(length);
            readFully(chunk, from);
            chunk.flip();
            while (chunk.hasRemaining()) channel.write(chunk, to + chunk.position());
        }

        /** Makes the message durable and visible; returns its envelopes. After this, 250 may be sent. */
        public List<Envelope> commit(String from, List<Recipient> recipients, Instant now) throws IOException {
            return commit(from, recipients, now, "");
        }

        /** As {@link #commit(String, List, Instant)}, each envelope noting what the receive checks found. */
        public List<Envelope> commit(String from, List<Recipient> recipients, Instant now, String checks) throws IOException {
            stream.flush();
            channel.force(true);
            channel.close();
            List<Envelope> envelopes = new ArrayList<>();
            for (Recipient r : recipients) {
                Envelope e = new Envelope(id + newId(), id, r.sender() == null ? from : r.sender(), r.to(), r.localUser() == null ? "" : r.localUser(),
                        r.action(), now, 0, now, "", -1, r.folder(), checks);
                try (FileChannel ch = FileChannel.open(dir.resolve(e.id() + ".env"), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(json.writeValueAsBytes(e)));
                    ch.force(true);
                }
                own(dir.resolve(e.id() + ".env"));
                envelopes.add(e);
            }
            DurableFiles.syncDirectory(dir);
            DurableFiles.moveNoReplace(dir, messages.resolve(id));
            DurableFiles.syncDirectory(messages);
            done = true;
            return envelopes;
        }

        public void abort() {
            if (done) return;
            done = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // removing the directory below is what matters
            }
            try {
                deleteTree(dir);
            } catch (IOException ignored) {
                // purgeIncoming() removes it at the next start
            }
        }

        @Override
        public void close() {
            abort();
        }
    }

    /** Every envelope on disk; directories left without envelopes (all delivered before a crash) are removed. */
    public List<Envelope> loadAll() throws IOException {
        List<Envelope> all = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(messages)) {
            for (Path d : dirs) {
                List<Envelope> envs = load(d);
                if (envs.isEmpty()) deleteTree(d);
                all.addAll(envs);
            }
        }
        all.sort(Comparator.comparing(Envelope::created).thenComparing(Envelope::id));
        return all;
    }

    /** The envelopes of one committed message (a message {@code sendmail} queued while the engine ran). */
    public List<Envelope> loadMessage(String messageId) throws IOException {
        if (!messageId.matches("[0-9a-f]{8}")) throw new IllegalArgumentException("\"" + messageId + "\" is not a message id");
        return load(messages.resolve(messageId));
    }

    private List<Envelope> load(Path dir) throws IOException {
        List<Envelope> envs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.env")) {
            for (Path f : files) {
                try {
                    envs.add(json.readValue(f.toFile(), Envelope.class));
                } catch (IOException e) {
                    // An envelope is only ever replaced by rename, so a bad one was damaged from outside.
                    Path aside = f.resolveSibling(f.getFileName() + ".corrupt");
                    Files.move(f, aside);
                    Stderr.warn("unreadable envelope moved aside to " + aside + ": " + e.getMessage());
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return envs;
    }

    public Path messageFile(String messageId) {
        return messages.resolve(messageId).resolve("message");
    }

    public InputStream openMessage(String messageId) throws IOException {
        return Files.newInputStream(messageFile(messageId));
    }

    /** Replaces an envelope's state on disk (atomically). */
    public void update(Envelope e) throws IOException {
        synchronized (lock(e.messageId())) {
            Path dir = messages.resolve(e.messageId());
            if (!Files.isDirectory(dir)) throw new NoSuchFileException("message " + e.messageId() + " is no longer queued");
            DurableFiles.write(dir.resolve(e.id() + ".env"), json.writeValueAsBytes(e), false);
        }
    }

    /**
     * Removes an envelope (delivered, bounced or deleted); the message goes with its last envelope. One listing
     * of the directory decides and names what to delete: this runs once per delivered message, and every
     * file-system call counts there (no tree walk with a stat per entry).
     */
    public void remove(Envelope e) throws IOException {
        Object lock = lock(e.messageId());
        synchronized (lock) {
            Path dir = messages.resolve(e.messageId());
            Files.deleteIfExists(dir.resolve(e.id() + ".env"));
            List<Path> rest = new ArrayList<>(2);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path p : files) {
                    if (p.getFileName().toString().endsWith(".env")) {
                        DurableFiles.syncDirectory(dir); // other recipients still wait: keep the removal
                        return;
                    }
                    rest.add(p);
                }
            } catch (NoSuchFileException gone) {
                return;
            }
            try {
                for (Path p : rest) Files.deleteIfExists(p);
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException unexpected) {
                deleteTree(dir); // something besides the message file (not written by Mailwright): remove it all
            }
            messageLocks.remove(e.messageId(), lock);
        }
    }

    /** Reads the header section of a queued message (for {@code queue show} and bounces). */
    public String headers(String messageId, int maxBytes) throws IOException {
        try (InputStream in = openMessage(messageId)) {
            byte[] buf = in.readNBytes(maxBytes);
            String s = new String(buf, java.nio.charset.StandardCharsets.UTF_8);
            int end = s.indexOf("\r\n\r\n");
            return end < 0 ? s : s.substring(0, end + 2);
        }
    }

    private void own(Path p) throws IOException {
        if (owner != null && !Files.getOwner(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).equals(owner)) Files.setOwner(p, owner);
    }

    private Object lock(String messageId) {
        return messageLocks.computeIfAbsent(messageId, k -> new Object());
    }

    private static String newId() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return HEX.formatHex(b);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
