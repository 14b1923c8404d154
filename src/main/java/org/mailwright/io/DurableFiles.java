package org.mailwright.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writing files so that a crash leaves either the old or the new content, never half of it:
 * write a temporary file beside the target, fsync it, rename it over the target, fsync the directory.
 */
public final class DurableFiles {
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private DurableFiles() {}

    /** Replaces {@code target} atomically with {@code content}; {@code secret} files are created mode 0600. */
    public static void write(Path target, byte[] content, boolean secret) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                if (secret) {
                    Files.setPosixFilePermissions(tmp, OWNER_ONLY); // before any byte of the secret is written
                }
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            move(tmp, target);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path target, String content, boolean secret) throws IOException {
        write(target, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), secret);
    }

    /** Renames atomically (same file system), replacing the target. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically: keep the data directory on one file system", e);
        }
    }

    /** Renames atomically, failing if the target exists (a directory rename must not merge). */
    public static void moveNoReplace(Path from, Path to) throws IOException {
        if (Files.exists(to)) throw new FileAlreadyExistsException(to.toString());
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Makes a rename or a new entry in {@code dir} survive a crash (Linux: fsync on the directory). */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on a directory; the rename itself is still atomic there.
            if (!String.valueOf(e.getMessage()).contains("Is a directory")) throw e;
        }
    }

    /** Creates a directory (and parents) readable only by its owner. */
    public static void createPrivateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }
}
