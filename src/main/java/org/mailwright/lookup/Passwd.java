package org.mailwright.lookup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.mailwright.io.DurableFiles;
import org.mailwright.log.Stderr;

/**
 * {@code DATA/passwd}: an OpenSMTPD credentials table (table(5) file: {@code user<TAB>$2b$…} per line),
 * mode 0600, replaced atomically. Reloaded when the file changes, so {@code user add} works on a running engine.
 */
public final class Passwd {
    public static final String FILE_NAME = "passwd";
    /** bcrypt uses only the first 72 bytes of a password; longer ones are refused rather than silently cut. */
    public static final int MAX_PASSWORD_BYTES = 72;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final int COST = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private Map<String, String> hashes = new LinkedHashMap<>();
    /** What the file looked like when read: modification time, inode (replaced atomically, so new on each write), size. */
    private record Stamp(FileTime mtime, Object fileKey, long size) {}

    private Stamp loaded;

    public Passwd(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** Why {@code name} cannot be a user name, or null when it can. */
    public static String checkName(String name) {
        if (name == null || name.isEmpty()) return "a user name is needed";
        if (name.contains(":") || name.contains("/") || name.chars().anyMatch(Character::isWhitespace)) {
            return "user name \"" + name + "\" may not contain ':', '/' or white space";
        }
        if (!NAME.matcher(name).matches()) {
            return "user name \"" + name + "\" must be lower-case letters, digits, '.', '_' or '-' (at most 64), starting with a letter or digit";
        }
        return null;
    }

    /** Why {@code password} cannot be used, or null when it can. */
    public static String checkPassword(String password) {
        if (password == null || password.isEmpty()) return "the password is empty";
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return "the password is longer than " + MAX_PASSWORD_BYTES + " bytes, which bcrypt cannot check in full — choose a shorter one";
        }
        if (password.length() < 8) return "the password is shorter than 8 characters";
        return null;
    }

    public synchronized List<String> users() throws IOException {
        reloadIfChanged();
        return List.copyOf(hashes.keySet());
    }

    public synchronized boolean exists(String user) throws IOException {
        reloadIfChanged();
        return hashes.containsKey(user.toLowerCase(Locale.ROOT));
    }

    /** True when the password matches. Unknown users cost the same time as known ones. */
    public boolean verify(String user, String password) throws IOException {
        String hash;
        synchronized (this) {
            reloadIfChanged();
            hash = hashes.get(user.toLowerCase(Locale.ROOT));
        }
        if (password == null || password.isEmpty() || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return false;
        }
        if (hash == null) {
            OpenBSDBCrypt.checkPassword(DUMMY_HASH, password.toCharArray());
            return false;
        }
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (IllegalArgumentException e) {
            return false; // a hash we cannot read never authenticates
        }
    }

    private static final String DUMMY_HASH = hash("not-a-password");

    public static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, COST);
    }

    /** Adds a user or changes an existing user's password. */
    public synchronized void set(String user, String password) throws IOException {
        String problem = checkName(user);
        if (problem != null) throw new IllegalArgumentException(problem);
        problem = checkPassword(password);
        if (problem != null) throw new IllegalArgumentException(problem);
        reloadIfChanged();
        Map<String, String> next = new LinkedHashMap<>(hashes);
        next.put(user, hash(password));
        save(next);
    }

    public synchronized boolean delete(String user) throws IOException {
        reloadIfChanged();
        Map<String, String> next = new LinkedHashMap<>(hashes);
        if (next.remove(user.toLowerCase(Locale.ROOT)) == null) return false;
        save(next);
        return true;
    }

    private void save(Map<String, String> next) throws IOException {
        StringBuilder b = new StringBuilder();
        next.forEach((u, h) -> b.append(u).append('\t').append(h).append('\n'));
        DurableFiles.write(file, b.toString(), true);
        hashes = next;
        loaded = stamp();
    }

    private Stamp stamp() throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.lastModifiedTime(), a.fileKey(), a.size());
    }

    /**
     * Called by every lookup (each AUTH): one stat. The inode is compared as well as the time, so two changes within
     * one tick of the file system's clock (a `user add` right after a `user passwd`) are both seen.
     */
    private void reloadIfChanged() throws IOException {
        Stamp now;
        try {
            now = stamp();
        } catch (NoSuchFileException e) {
            hashes = new LinkedHashMap<>();
            loaded = null;
            return;
        }
        if (now.equals(loaded)) return;
        Map<String, String> read = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] parts = line.split("\\s+", 2);
            if (parts.length != 2 || !parts[1].startsWith("$2")) {
                bad.add(FILE_NAME + ":" + (i + 1));
                continue;
            }
            read.put(parts[0].toLowerCase(Locale.ROOT), parts[1]);
        }
        if (!bad.isEmpty()) {
            Stderr.warn("ignoring malformed lines " + String.join(", ", bad)
                    + " (expected user<TAB>$2b$… bcrypt hash) — fix them with `mailwright user passwd NAME`");
        }
        hashes = read;
        loaded = now;
    }
}
