package org.mailwright.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One owner of the spool at a time: the running engine, or a queue command while the engine is stopped.
 * The kernel drops the lock when its process dies, so a crashed engine never leaves it stuck.
 */
public final class QueueLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private QueueLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty when another process holds it. */
    public static java.util.Optional<QueueLock> tryAcquire(Path dataDir) throws IOException {
        Path file = dataDir.resolve("queue").resolve("lock");
        Files.createDirectories(file.getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new QueueLock(ch, l));
        } catch (OverlappingFileLockException e) {
            ch.close();
            return java.util.Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
