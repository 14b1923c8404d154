package org.mailwright.lookup;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailwright.io.DurableFiles;

/**
 * Greylisting's memory: (client network, envelope sender, recipient) triplets. The first attempt of an unknown
 * triplet is to wait {@code delay}; a retry after that and within {@link #RETRY_WINDOW} passes, and the triplet
 * then passes at once for {@link #REMEMBER} after it was last seen. Networks, not addresses, because big senders
 * retry from another host of the same farm: IPv4 /24, IPv6 /64.
 *
 * <p>Kept in {@code DATA/greylist} (one triplet a line, tab-separated; rewritten atomically at most every
 * {@link #SAVE_EVERY} and on {@link #save}), so that a restart does not defer every sender again. At most
 * {@link #MAX_ENTRIES} triplets: expired ones go first, then the oldest that never passed.
 */
public final class Greylist {
    public static final String FILE_NAME = "greylist";
    static final Duration RETRY_WINDOW = Duration.ofDays(1);
    static final Duration REMEMBER = Duration.ofDays(30);
    static final Duration SAVE_EVERY = Duration.ofMinutes(1);
    static final int MAX_ENTRIES = 100_000;

    /** {@code first}: the first attempt; {@code last}: when it last passed (null until a retry passed). */
    private record Entry(Instant first, Instant last) {
        boolean expired(Instant now) {
            return last == null ? now.isAfter(first.plus(RETRY_WINDOW)) : now.isAfter(last.plus(REMEMBER));
        }
    }

    private final Path file;
    private final Clock clock;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private boolean dirty;
    private Instant savedAt;
    private final Object saving = new Object();

    private Greylist(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        this.savedAt = clock.instant();
    }

    /** The triplets of {@code DATA/greylist} (none yet: empty); lines that do not parse are dropped. */
    public static Greylist load(Path dataDir, Clock clock) throws IOException {
        Greylist g = new Greylist(dataDir.resolve(FILE_NAME), clock);
        List<String> lines;
        try {
            lines = Files.readAllLines(g.file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return g;
        }
        Instant now = clock.instant();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t", -1);
            if (f.length != 5) continue;
            try {
                Entry e = new Entry(Instant.ofEpochSecond(Long.parseLong(f[3])), f[4].equals("-") ? null : Instant.ofEpochSecond(Long.parseLong(f[4])));
                if (!e.expired(now)) g.entries.put(f[0] + "\t" + f[1] + "\t" + f[2], e);
            } catch (NumberFormatException | java.time.DateTimeException ignored) {
                // a damaged line costs that sender one more delay, nothing else
            }
        }
        return g;
    }

    /**
     * Records an attempt and returns how long the client must still wait: zero when the triplet passes. A retry
     * that comes too early does not restart the clock.
     */
    public Duration check(InetAddress client, String sender, String recipient, Duration delay) {
        String key = network(client) + "\t" + sender.toLowerCase(Locale.ROOT) + "\t" + recipient.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Duration wait;
        synchronized (this) {
            Entry e = entries.get(key);
            if (e != null && e.expired(now)) {
                entries.remove(key); // and in again at the end, where the newest are
                e = null;
            }
            if (e == null) {
                makeRoom(now);
                entries.put(key, new Entry(now, null));
                wait = delay;
            } else if (e.last() == null && now.isBefore(e.first().plus(delay))) {
                return Duration.between(now, e.first().plus(delay));
            } else {
                entries.put(key, new Entry(e.first(), now));
                wait = Duration.ZERO;
            }
            dirty = true;
            if (Duration.between(savedAt, now).compareTo(SAVE_EVERY) < 0) return wait;
        }
        try {
            save();
        } catch (IOException ignored) {
            // tried again on the next change and at shutdown; only the memory of a restart is at stake
        }
        return wait;
    }

    /** Writes the triplets that have not expired to {@code DATA/greylist} when anything changed. */
    public void save() throws IOException {
        synchronized (saving) {
            StringBuilder b = new StringBuilder("# Mailwright greylist: network, sender, recipient, first attempt, last passed (epoch seconds)\n");
            synchronized (this) {
                if (!dirty) return;
                Instant now = clock.instant();
                entries.values().removeIf(e -> e.expired(now));
                for (Map.Entry<String, Entry> e : entries.entrySet()) {
                    Entry v = e.getValue();
                    b.append(e.getKey()).append('\t').append(v.first().getEpochSecond()).append('\t')
                            .append(v.last() == null ? "-" : String.valueOf(v.last().getEpochSecond())).append('\n');
                }
                dirty = false;
                savedAt = now;
            }
            try {
                DurableFiles.write(file, b.toString(), false);
            } catch (IOException e) {
                synchronized (this) {
                    dirty = true;
                }
                throw e;
            }
        }
    }

    /** IPv4 /24 or IPv6 /64, as {@code 192.0.2.0/24}. */
    static String network(InetAddress a) {
        byte[] b = a.getAddress();
        int bits = a instanceof Inet4Address ? 24 : 64;
        for (int i = bits / 8; i < b.length; i++) b[i] = 0;
        try {
            return InetAddress.getByAddress(b).getHostAddress() + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // a 4- or 16-byte address always makes one
        }
    }

    /** Full: the expired go; still full, the oldest tenth of those that never passed, then the oldest of any. */
    private void makeRoom(Instant now) {
        if (entries.size() < MAX_ENTRIES) return;
        entries.values().removeIf(e -> e.expired(now));
        int drop = entries.size() - MAX_ENTRIES * 9 / 10;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext() && drop > 0; ) {
            if (it.next().last() == null) {
                it.remove();
                drop--;
            }
        }
        while (entries.size() >= MAX_ENTRIES) entries.remove(entries.keySet().iterator().next());
    }

    synchronized int size() {
        return entries.size();
    }
}
