package org.mailwright.mda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.mailwright.io.DurableFiles;
import org.mailwright.queue.DeliveryException;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.LocalDelivery;
import org.mailwright.queue.Outcome;

/**
 * Maildir delivery ({@code DATA/mail/USER/{tmp,new,cur}}): written and fsync'd in {@code tmp/}, then renamed
 * into {@code new/} — a reader never sees half a message. The file name is made from the envelope id, so a
 * delivery repeated after a crash finds the first one and does not deliver twice.
 */
public final class MaildirDelivery implements LocalDelivery {
    private final Path root;
    private final String hostname;

    public MaildirDelivery(Path dataDir, String hostname) {
        this.root = dataDir.resolve("mail");
        this.hostname = hostname.replace("/", "\\057").replace(":", "\\072");
    }

    @Override
    public Path mailbox(String user) {
        return root.resolve(user);
    }

    /** The unique name (maildir(5): time.unique.host) of this envelope's copy. */
    String fileName(Envelope e) {
        return e.created().getEpochSecond() + ".M" + e.created().getNano() / 1000 + "Q" + e.id() + "." + hostname;
    }

    @Override
    public void deliver(Envelope e, Path message, boolean recovered, Journal journal) throws DeliveryException {
        Path inbox = mailbox(e.localUser());
        // A folder is a Maildir++ subfolder (.Junk), as Dovecot and Courier keep them.
        Path box = e.folder().isEmpty() ? inbox : inbox.resolve("." + e.folder());
        String name = fileName(e);
        Path tmp = box.resolve("tmp").resolve(name);
        Path dest = box.resolve("new").resolve(name);
        try {
            if (box != inbox) ensureFolder(inbox, box);
            ensureMaildir(box);
            if (Files.exists(dest) || (recovered && alreadyInCur(box, name))) return;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE); InputStream in = Files.newInputStream(message)) {
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 65536);
                UnixText.copy(e, in, out, false);
                out.flush();
                ch.force(true);
            }
            DurableFiles.move(tmp, dest);
            DurableFiles.syncDirectory(dest.getParent());
        } catch (NoSuchFileException ex) {
            quietlyDelete(tmp);
            throw new DeliveryException(Outcome.TEMPFAIL, "queued message file is missing: " + ex.getMessage(), ex);
        } catch (IOException ex) {
            quietlyDelete(tmp);
            throw new DeliveryException(Outcome.TEMPFAIL, "cannot write to " + box + ": " + describe(ex), ex);
        }
    }

    private static boolean alreadyInCur(Path box, String name) throws IOException {
        try (DirectoryStream<Path> cur = Files.newDirectoryStream(box.resolve("cur"), name + "*")) {
            return cur.iterator().hasNext();
        }
    }

    private static void ensureFolder(Path inbox, Path folder) throws IOException {
        ensureMaildir(inbox);
        if (Files.exists(folder.resolve("maildirfolder"))) return;
        ensureMaildir(folder);
        DurableFiles.write(folder.resolve("maildirfolder"), new byte[0], true);
    }

    static void ensureMaildir(Path box) throws IOException {
        if (Files.isDirectory(box.resolve("tmp")) && Files.isDirectory(box.resolve("new")) && Files.isDirectory(box.resolve("cur"))) {
            return;
        }
        DurableFiles.createPrivateDirectory(box);
        for (String sub : new String[] {"tmp", "new", "cur"}) {
            DurableFiles.createPrivateDirectory(box.resolve(sub));
        }
        DurableFiles.syncDirectory(box);
        DurableFiles.syncDirectory(box.getParent());
    }

    private static void quietlyDelete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale tmp/ file is harmless; maildir readers never look there
        }
    }

    static String describe(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) return fse.getReason() + " (" + fse.getFile() + ")";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
