package org.mailwright.lookup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * {@code DATA/aliases} as the engine reads it: loaded again whenever the file changes (one stat per lookup, the
 * inode compared as well as the time, as {@link Passwd} does), so {@code alias add} holds from the next RCPT on.
 * A file that does not parse is an {@link IOException} naming its line: the caller answers 451 (try again later)
 * rather than refusing mail for an address the admin is still editing.
 */
public final class AliasFile {
    private record Stamp(FileTime mtime, Object fileKey, long size) {}

    private final Path file;
    private Stamp loaded;
    private Aliases table = Aliases.empty();

    public AliasFile(Path dataDir) {
        this.file = dataDir.resolve(Aliases.FILE_NAME);
    }

    /** The table as the file says now; none: empty. */
    public synchronized Aliases current() throws IOException {
        Stamp now;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            now = new Stamp(a.lastModifiedTime(), a.fileKey(), a.size());
        } catch (NoSuchFileException e) {
            loaded = null;
            table = Aliases.empty();
            return table;
        }
        if (now.equals(loaded)) return table;
        try {
            table = Aliases.load(file.getParent());
        } catch (Aliases.Malformed e) {
            throw new IOException(e.getMessage() + " (mail for local addresses waits until the aliases file is fixed)", e);
        }
        loaded = now;
        return table;
    }
}
