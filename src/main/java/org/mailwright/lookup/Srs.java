package org.mailwright.lookup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mailwright.io.DurableFiles;

/**
 * The Sender Rewriting Scheme, as libsrs2 and postsrsd write it, so that mail we forward to another domain passes
 * SPF there and its bounces still reach the sender: {@code alice@sender.test} becomes
 * {@code SRS0=HHHH=TT=sender.test=alice@OURS} (an HMAC-SHA1 hash and a day stamp), an address that is already SRS0
 * of another forwarder becomes {@code SRS1=HHHH=forwarder.test==HHHH=TT=sender.test=alice@OURS}. A bounce to such
 * an address is turned back into the original only when the hash is ours and the stamp at most 21 days old.
 * The key is {@code DATA/srs.secret} (0600), made on first use.
 */
public final class Srs {
    public static final String SECRET_FILE = "srs.secret";
    static final int HASH_LENGTH = 4;
    static final int MAX_AGE_DAYS = 21;
    private static final String TIME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String HASH_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final int TIME_SLOTS = 1 << 10;

    private final byte[] secret;
    private final Clock clock;

    public Srs(String secret, Clock clock) {
        if (secret.isEmpty()) throw new IllegalArgumentException("the SRS secret is empty");
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** Where the key comes from, read when first needed (a forward, a bounce to an SRS address). */
    @FunctionalInterface
    public interface Key {
        Srs get() throws IOException;

        /** {@code DATA/srs.secret}, read (or made) once, at the first use. */
        static Key of(Path dataDir) {
            return new Key() {
                private Srs srs;

                @Override
                public synchronized Srs get() throws IOException {
                    if (srs == null) srs = Srs.of(dataDir);
                    return srs;
                }
            };
        }
    }

    /** The data directory's key; written with 32 random bytes (base64) the first time. */
    public static Srs of(Path dataDir) throws IOException {
        Path file = dataDir.resolve(SECRET_FILE);
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            DurableFiles.write(file, (Base64.getEncoder().encodeToString(random) + "\n").getBytes(StandardCharsets.US_ASCII), true);
        }
        String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty())
                .findFirst().orElseThrow(() -> new IOException(file + ": the SRS secret is empty — delete the file and a new one is made"));
        return new Srs(first, Clock.systemUTC());
    }

    /** Whether {@code local} is an SRS address's local part (SRS0 or SRS1, any separator). */
    public static boolean isSrs(String local) {
        String l = local.toUpperCase(Locale.ROOT);
        return l.length() > 5 && (l.startsWith("SRS0") || l.startsWith("SRS1")) && "=-+".indexOf(l.charAt(4)) >= 0;
    }

    /**
     * The envelope sender for forwarding {@code sender}'s message from {@code ourDomain}: rewritten, unless it is
     * empty (a bounce stays a bounce) or already in our domain.
     */
    public String forward(String sender, String ourDomain) {
        int at = sender.lastIndexOf('@');
        if (sender.isEmpty() || at <= 0) return sender;
        String user = sender.substring(0, at);
        String host = sender.substring(at + 1);
        if (host.equalsIgnoreCase(ourDomain)) return sender;
        String upper = user.toUpperCase(Locale.ROOT);
        if (upper.startsWith("SRS1") && user.length() > 5 && "=-+".indexOf(user.charAt(4)) >= 0) {
            String[] p = user.substring(5).split("=", 3); // hash, first forwarder, the rest
            if (p.length == 3) return "SRS1=" + hash(p[1], p[2]) + "=" + p[1] + "=" + p[2] + "@" + ourDomain;
        }
        if (upper.startsWith("SRS0") && user.length() > 4 && "=-+".indexOf(user.charAt(4)) >= 0) {
            String rest = user.substring(4); // keeps its separator: SRS1=HHHH=host==HHHH=TT=…
            return "SRS1=" + hash(host, rest) + "=" + host + "=" + rest + "@" + ourDomain;
        }
        String stamp = stamp(clock.instant().getEpochSecond() / 86400);
        return "SRS0=" + hash(stamp, host, user) + "=" + stamp + "=" + host + "=" + user + "@" + ourDomain;
    }

    /** Why an SRS address is not one we can turn back. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    /**
     * The address a bounce to {@code local} (the local part of an SRS address of ours) goes to: the original sender
     * for SRS0, the first forwarder's SRS0 address for SRS1; empty when {@code local} is not SRS at all.
     */
    public Optional<String> reverse(String local) throws Invalid {
        if (!isSrs(local)) return Optional.empty();
        String body = local.substring(5);
        if (local.toUpperCase(Locale.ROOT).startsWith("SRS1")) {
            String[] p = body.split("=", 3);
            if (p.length < 3 || p[1].isEmpty() || p[2].isEmpty()) throw new Invalid("the SRS1 address " + local + " is malformed");
            check(p[0], hash(p[1], p[2]), local);
            return Optional.of("SRS0" + p[2] + "@" + p[1]);
        }
        String[] p = body.split("=", 4);
        if (p.length < 4 || p[2].isEmpty() || p[3].isEmpty()) throw new Invalid("the SRS0 address " + local + " is malformed");
        long then = days(p[1], local);
        long now = (clock.instant().getEpochSecond() / 86400) % TIME_SLOTS;
        while (now < then) now += TIME_SLOTS;
        if (now > then + MAX_AGE_DAYS) throw new Invalid("the SRS address " + local + " is older than " + MAX_AGE_DAYS + " days");
        check(p[0], hash(p[1], p[2], p[3]), local);
        return Optional.of(p[3] + "@" + p[2]);
    }

    private static void check(String given, String expected, String local) throws Invalid {
        if (given.length() < HASH_LENGTH || !equivalent(given.substring(0, HASH_LENGTH), expected)) {
            throw new Invalid("the SRS address " + local + " does not carry our hash: it was not made here");
        }
    }

    /** libsrs2's comparison: case does not matter, and {@code + /} compare equal to {@code - _}. */
    private static boolean equivalent(String a, String b) {
        int diff = 0;
        for (int i = 0; i < HASH_LENGTH; i++) diff |= fold(a.charAt(i)) ^ fold(b.charAt(i));
        return diff == 0;
    }

    private static char fold(char c) {
        return switch (c) {
            case '+' -> '-';
            case '/' -> '_';
            default -> Character.toLowerCase(c);
        };
    }

    private static long days(String stamp, String local) throws Invalid {
        if (stamp.length() != 2) throw new Invalid("the SRS address " + local + " has no day stamp");
        long then = 0;
        for (char c : stamp.toUpperCase(Locale.ROOT).toCharArray()) {
            int v = TIME_CHARS.indexOf(c);
            if (v < 0) throw new Invalid("the SRS address " + local + " has a bad day stamp");
            then = (then << 5) | v;
        }
        return then;
    }

    static String stamp(long days) {
        return "" + TIME_CHARS.charAt((int) ((days >> 5) & 31)) + TIME_CHARS.charAt((int) (days & 31));
    }

    /** HMAC-SHA1 over the lower-cased parts, its first 24 bits as four base64 characters. */
    String hash(String... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            for (String p : parts) mac.update(p.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            byte[] h = mac.doFinal();
            int bits = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
            StringBuilder b = new StringBuilder(HASH_LENGTH);
            for (int i = 0; i < HASH_LENGTH; i++) b.append(HASH_CHARS.charAt((bits >> (18 - 6 * i)) & 63));
            return b.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this Java runtime", e);
        }
    }
}
