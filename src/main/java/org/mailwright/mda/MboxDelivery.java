package org.mailwright.mda;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import org.mailwright.io.DurableFiles;
import org.mailwright.queue.DeliveryException;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.LocalDelivery;
import org.mailwright.queue.Outcome;

/**
 * mbox delivery ({@code DATA/mbox/USER}, mboxrd): a {@code From } line, {@code >From } quoting, a blank line
 * after each message, under an fcntl lock (what mutt and s-nail take). The length before the append is
 * journaled in the envelope first, so a failed or interrupted append is cut off again: never half a message.
 */
public final class MboxDelivery implements LocalDelivery {
    private static final DateTimeFormatter FROM_DATE =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Path root;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    public MboxDelivery(Path dataDir) {
        this.root = dataDir.resolve("mbox");
    }

    @Override
    public Path mailbox(String user) {
        return root.resolve(user);
    }

    @Override
    public void deliver(Envelope e, Path message, boolean recovered, Journal journal) throws DeliveryException {
        // mbox has no folders: a folder is a file of its own beside the inbox (USER.Junk).
        Path box = e.folder().isEmpty() ? mailbox(e.localUser()) : root.resolve(e.localUser() + "." + e.folder());
        synchronized (locks.computeIfAbsent(box.getFileName().toString(), k -> new Object())) {
            try {
                DurableFiles.createPrivateDirectory(root);
                boolean created = !Files.exists(box);
                try (FileChannel ch = FileChannel.open(box, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.READ);
                     FileLock lock = ch.lock()) {
                    if (created) Files.setPosixFilePermissions(box, DurableFiles.OWNER_ONLY);
                    if (e.mboxOffset() >= 0 && ch.size() > e.mboxOffset()) {
                        // A crash came after the journal entry: the append may be whole, cut short, or not begun
                        // (and later messages may follow it). Only a cut-short copy at the end is removed.
                        switch (compare(e, message, ch, e.mboxOffset())) {
                            case WHOLE -> {
                                return;
                            }
                            case PREFIX -> {
                                ch.truncate(e.mboxOffset());
                                ch.force(true);
                            }
                            case DIFFERENT -> { }
                        }
                    }
                    long start = ch.size();
                    journal.beforeAppend(e.withMboxOffset(start));
                    try {
                        append(e, message, ch, start);
                    } catch (IOException ex) {
                        ch.truncate(start);
                        ch.force(true);
                        throw ex;
                    }
                }
            } catch (IOException ex) {
                throw new DeliveryException(Outcome.TEMPFAIL, "cannot append to " + box + ": " + MaildirDelivery.describe(ex), ex);
            }
        }
    }

    private static void append(Envelope e, Path message, FileChannel ch, long start) throws IOException {
        ch.position(start);
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 65536);
        render(e, message, out);
        out.flush();
        ch.force(true);
    }

    /** The bytes one delivery appends: the same for the same envelope, so a repeated one can be recognised. */
    private static void render(Envelope e, Path message, OutputStream out) throws IOException {
        String sender = e.from().isEmpty() ? "MAILER-DAEMON" : e.from();
        out.write(("From " + sender + " " + FROM_DATE.format(e.created()) + "\n").getBytes(StandardCharsets.UTF_8));
        try (InputStream in = Files.newInputStream(message)) {
            UnixText.copy(e, in, out, true);
        }
        out.write('\n');
    }

    /** What the mbox holds at {@code offset} compared with this envelope's copy. */
    enum Found { WHOLE, PREFIX, DIFFERENT }

    static Found compare(Envelope e, Path message, FileChannel ch, long offset) throws IOException {
        Comparing cmp = new Comparing(ch, offset);
        OutputStream out = new BufferedOutputStream(cmp, 65536);
        render(e, message, out);
        out.flush();
        if (cmp.different) return Found.DIFFERENT;
        return cmp.endOfFile ? Found.PREFIX : Found.WHOLE;
    }

    /** An output stream that compares what is written with the file from a position on. */
    private static final class Comparing extends OutputStream {
        private final FileChannel ch;
        private long position;
        boolean different;
        boolean endOfFile;

        Comparing(FileChannel ch, long position) {
            this.ch = ch;
            this.position = position;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (different || endOfFile) return;
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(len);
            while (buf.hasRemaining()) {
                if (ch.read(buf, position + buf.position()) < 0) break;
            }
            int have = buf.position();
            for (int i = 0; i < have; i++) {
                if (buf.get(i) != b[off + i]) {
                    different = true;
                    return;
                }
            }
            if (have < len) endOfFile = true;
            position += have;
        }
    }
}
