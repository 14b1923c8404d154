package org.mailwright.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.mailwright.mail.Addresses;

/**
 * Verifies every {@code DKIM-Signature} of a received message (RFC 6376 §6): {@code rsa-sha256} and
 * {@code ed25519-sha256} (RFC 8463), {@code simple} and {@code relaxed} canonicalization of header and body. The
 * keys come from {@link KeyLookup} ({@code SELECTOR._domainkey.DOMAIN} TXT, through the engine's resolver).
 *
 * <p>What is refused, and why (RFC 6376 §8, RFC 8301): {@code rsa-sha1} and RSA keys under 1024 bits
 * ({@code permerror}); a signature that does not sign From; an {@code i=} outside {@code d=}; an expired
 * {@code x=}. A body length {@code l=} that leaves part of the body unsigned makes the result {@code policy}, not
 * {@code pass}: anyone could have appended to it. Immutable and safe to share between threads.
 */
public final class DkimVerifier {

    /** How one signature fared, in RFC 8601's words. */
    public enum Result {
        PASS, FAIL, NEUTRAL, POLICY, TEMPERROR, PERMERROR;

        /** The word in {@code Authentication-Results:} ({@code dkim=pass}). */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One signature's verdict: its domain {@code d=}, selector {@code s=}, and why when it did not pass. */
    public record Verdict(Result result, String domain, String selector, String reason) {
        public boolean passed() {
            return result == Result.PASS;
        }
    }

    /** The key records published at a name. */
    @FunctionalInterface
    public interface KeyLookup {
        /** The TXT records at {@code name} (each one string, its character-strings joined); none: empty. */
        List<String> txt(String name) throws TemporaryFailure;
    }

    /** The DNS did not answer (SERVFAIL, timeout): the verdict is {@code temperror}, the sender may retry. */
    public static final class TemporaryFailure extends Exception {
        public TemporaryFailure(String message) {
            super(message);
        }
    }

    /** At most this many signatures of one message are checked (each costs a lookup and a public-key operation). */
    static final int MAX_SIGNATURES = 8;
    private static final int MIN_RSA_BITS = 1024;

    private final KeyLookup keys;
    private final Clock clock;

    public DkimVerifier(KeyLookup keys) {
        this(keys, Clock.systemUTC());
    }

    public DkimVerifier(KeyLookup keys, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One verdict per {@code DKIM-Signature} field, top to bottom (none: the message is unsigned). A bare LF is taken
     * as CRLF, as SMTP carries the message.
     */
    public List<Verdict> verify(byte[] message) {
        byte[] wire = RawMessage.toCrlf(message);
        RawMessage parsed = RawMessage.parse(wire);
        List<Verdict> out = new ArrayList<>();
        Bodies bodies = new Bodies(wire, parsed.bodyStart());
        for (RawMessage.Field f : parsed.fields()) {
            if (!f.is("dkim-signature")) continue;
            if (out.size() == MAX_SIGNATURES) {
                out.add(new Verdict(Result.NEUTRAL, "", "", "more than " + MAX_SIGNATURES + " signatures: the rest were not checked"));
                break;
            }
            out.add(verifyOne(wire, parsed, f, bodies));
        }
        return out;
    }

    /** The body canonicalized and hashed once per canonicalization (and length) for all of a message's signatures. */
    private static final class Bodies {
        private final byte[] wire;
        private final int start;
        private final Map<String, byte[]> canonical = new HashMap<>();
        private final Map<String, byte[]> hashes = new HashMap<>();

        Bodies(byte[] wire, int start) {
            this.wire = wire;
            this.start = start;
        }

        byte[] canonical(String canon) {
            return canonical.computeIfAbsent(canon, c -> canonicalBody(wire, start, c));
        }

        /** SHA-256 of the first {@code length} bytes of the canonical body (all of it when negative). */
        byte[] hash(String canon, long length) {
            return hashes.computeIfAbsent(canon + "/" + length, k -> {
                byte[] body = canonical(canon);
                return sha256(body, length < 0 ? body.length : (int) length);
            });
        }
    }

    private Verdict verifyOne(byte[] wire, RawMessage parsed, RawMessage.Field field, Bodies bodies) {
        Map<String, String> tags;
        try {
            tags = tags(value(wire, field));
        } catch (IllegalArgumentException e) {
            return new Verdict(Result.PERMERROR, "", "", "malformed DKIM-Signature: " + e.getMessage());
        }
        String d = tags.getOrDefault("d", "").toLowerCase(Locale.ROOT);
        String s = tags.getOrDefault("s", "");
        try {
            Signed sig = Signed.of(tags, clock.instant().getEpochSecond());
            PublicKey key = key(sig);
            int bodyLength = bodies.canonical(sig.bodyCanon).length;
            boolean partial = sig.length >= 0 && sig.length < bodyLength;
            if (sig.length > bodyLength) throw new Failed(Result.PERMERROR, "l=" + sig.length + " is longer than the body");
            byte[] bh = bodies.hash(sig.bodyCanon, sig.length);
            if (!MessageDigest.isEqual(bh, sig.bodyHash)) throw new Failed(Result.FAIL, "body hash did not verify (the body was changed)");
            byte[] data = headerData(wire, parsed, field, sig);
            if (!signatureVerifies(key, sig.algorithm, data, sig.signature)) {
                throw new Failed(Result.FAIL, "signature did not verify (a signed header field was changed, or the key is not the signer's)");
            }
            if (partial) return new Verdict(Result.POLICY, d, s, "l=" + sig.length + " signs only part of the body");
            return new Verdict(Result.PASS, d, s, "");
        } catch (Failed e) {
            return new Verdict(e.result, d, s, e.getMessage());
        }
    }

    /** A verdict other than pass, with its reason. */
    private static final class Failed extends Exception {
        final Result result;

        Failed(Result result, String reason) {
            super(reason, null, false, false);
            this.result = result;
        }
    }

    /** The tags of one signature, checked (RFC 6376 §3.5, §6.1.1). */
    private record Signed(String algorithm, String headerCanon, String bodyCanon, String domain, String selector,
                          List<String> signedHeaders, byte[] bodyHash, byte[] signature, long length, String rawB) {
        static Signed of(Map<String, String> t, long now) throws Failed {
            for (String required : List.of("v", "a", "b", "bh", "d", "h", "s")) {
                if (!t.containsKey(required)) throw new Failed(Result.PERMERROR, "the " + required + "= tag is missing");
            }
            if (!t.get("v").equals("1")) throw new Failed(Result.PERMERROR, "v=" + t.get("v") + " is not DKIM version 1");
            String a = t.get("a").toLowerCase(Locale.ROOT);
            if (a.equals("rsa-sha1")) throw new Failed(Result.PERMERROR, "rsa-sha1 is no longer accepted (RFC 8301)");
            if (!a.equals("rsa-sha256") && !a.equals("ed25519-sha256")) throw new Failed(Result.PERMERROR, "unknown algorithm a=" + a);
            String[] c = t.getOrDefault("c", "simple/simple").toLowerCase(Locale.ROOT).split("/", -1);
            String hc = c[0];
            String bc = c.length > 1 ? c[1] : "simple";
            if (c.length > 2 || !isCanon(hc) || !isCanon(bc)) throw new Failed(Result.PERMERROR, "unknown canonicalization c=" + t.get("c"));
            String d = t.get("d").toLowerCase(Locale.ROOT);
            if (d.isEmpty() || d.startsWith(".") || d.endsWith(".") || !d.contains(".")) throw new Failed(Result.PERMERROR, "d=" + d + " is not a domain");
            String i = t.getOrDefault("i", "@" + d).toLowerCase(Locale.ROOT);
            String iDomain = Addresses.domainOf(i);
            if (!i.contains("@") || !(iDomain.equals(d) || iDomain.endsWith("." + d))) {
                throw new Failed(Result.PERMERROR, "i=" + i + " is not in the signing domain " + d);
            }
            List<String> h = new ArrayList<>();
            for (String name : t.get("h").split(":")) {
                String n = name.strip().toLowerCase(Locale.ROOT);
                if (!n.isEmpty()) h.add(n);
            }
            if (!h.contains("from")) throw new Failed(Result.PERMERROR, "the signature does not sign From (h=" + t.get("h") + ")");
            long l = -1;
            if (t.containsKey("l")) {
                try {
                    l = Long.parseLong(t.get("l"));
                } catch (NumberFormatException e) {
                    throw new Failed(Result.PERMERROR, "l=" + t.get("l") + " is not a number");
                }
                if (l < 0) throw new Failed(Result.PERMERROR, "l=" + l + " is negative");
            }
            if (t.containsKey("x")) {
                long x = number(t, "x");
                if (x < now) throw new Failed(Result.PERMERROR, "the signature expired (x=" + x + ")");
                if (t.containsKey("t") && x < number(t, "t")) throw new Failed(Result.PERMERROR, "x= is before t=");
            }
            String q = t.getOrDefault("q", "dns/txt").toLowerCase(Locale.ROOT);
            if (!Arrays.asList(q.split(":")).contains("dns/txt")) throw new Failed(Result.PERMERROR, "q=" + q + " is not dns/txt");
            return new Signed(a, hc, bc, d, t.get("s"), h, base64(t.get("bh"), "bh"), base64(t.get("b"), "b"), l, t.get("b"));
        }

        private static boolean isCanon(String c) {
            return c.equals("simple") || c.equals("relaxed");
        }

        private static long number(Map<String, String> t, String tag) throws Failed {
            try {
                return Long.parseLong(t.get(tag));
            } catch (NumberFormatException e) {
                throw new Failed(Result.PERMERROR, tag + "=" + t.get(tag) + " is not a number");
            }
        }
    }

    /** The signer's public key from its record (RFC 6376 §3.6.1), checked against the signature's algorithm. */
    private PublicKey key(Signed sig) throws Failed {
        String name = sig.selector + "._domainkey." + sig.domain;
        List<String> records;
        try {
            records = keys.txt(name);
        } catch (TemporaryFailure e) {
            throw new Failed(Result.TEMPERROR, "the key record " + name + " could not be looked up: " + e.getMessage());
        }
        if (records.isEmpty()) throw new Failed(Result.PERMERROR, "no key record at " + name);
        if (records.size() > 1) throw new Failed(Result.PERMERROR, records.size() + " key records at " + name + ": a selector has one");
        Map<String, String> k;
        try {
            k = tags(records.get(0));
        } catch (IllegalArgumentException e) {
            throw new Failed(Result.PERMERROR, "the key record at " + name + " is malformed: " + e.getMessage());
        }
        if (k.containsKey("v") && !k.get("v").equals("DKIM1")) throw new Failed(Result.PERMERROR, "the key record at " + name + " is not DKIM1");
        String p = k.get("p");
        if (p == null) throw new Failed(Result.PERMERROR, "the key record at " + name + " has no p=");
        if (p.isEmpty()) throw new Failed(Result.PERMERROR, "the key at " + name + " was revoked (empty p=)");
        String type = k.getOrDefault("k", "rsa").toLowerCase(Locale.ROOT);
        String wanted = sig.algorithm.startsWith("ed25519") ? "ed25519" : "rsa";
        if (!type.equals(wanted)) throw new Failed(Result.PERMERROR, "the key at " + name + " is k=" + type + ", the signature a=" + sig.algorithm);
        if (k.containsKey("h") && !Arrays.asList(k.get("h").toLowerCase(Locale.ROOT).split(":")).contains("sha256")) {
            throw new Failed(Result.PERMERROR, "the key at " + name + " does not allow sha256 (h=" + k.get("h") + ")");
        }
        if (k.containsKey("s")) {
            List<String> services = Arrays.asList(k.get("s").toLowerCase(Locale.ROOT).split(":"));
            if (!services.contains("*") && !services.contains("email")) throw new Failed(Result.PERMERROR, "the key at " + name + " is not for email");
        }
        byte[] der = base64(p, "p");
        try {
            if (wanted.equals("ed25519")) {
                if (der.length != Ed25519PublicKeyParameters.KEY_SIZE) throw new Failed(Result.PERMERROR, "the Ed25519 key at " + name + " is not 32 bytes");
                return new Ed25519Key(der);
            }
            PublicKey rsa = rsaKey(der);
            int bits = ((RSAPublicKey) rsa).getModulus().bitLength();
            if (bits < MIN_RSA_BITS) throw new Failed(Result.PERMERROR, "the RSA key at " + name + " has " + bits + " bits; at least " + MIN_RSA_BITS + " are needed (RFC 8301)");
            return rsa;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Failed(Result.PERMERROR, "the key at " + name + " cannot be read: " + e.getMessage());
        }
    }

    /** SubjectPublicKeyInfo as RFC 6376 says, or the bare PKCS#1 RSAPublicKey some signers publish. */
    private static PublicKey rsaKey(byte[] der) throws GeneralSecurityException {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        try {
            return rsa.generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException spki) {
            try {
                org.bouncycastle.asn1.pkcs.RSAPublicKey k = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(ASN1Sequence.getInstance(der));
                return rsa.generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent()));
            } catch (RuntimeException pkcs1) {
                throw spki;
            }
        }
    }

    /** A raw Ed25519 public key as the record carries it (RFC 8463 §4: the 32 bytes, no ASN.1). */
    private record Ed25519Key(byte[] raw) implements PublicKey {
        @Override
        public String getAlgorithm() {
            return "Ed25519";
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            return raw.clone();
        }
    }

    private static boolean signatureVerifies(PublicKey key, String algorithm, byte[] data, byte[] signature) throws Failed {
        try {
            if (algorithm.equals("ed25519-sha256")) {
                byte[] hash = sha256(data, data.length);
                Ed25519Signer v = new Ed25519Signer();
                v.init(false, new Ed25519PublicKeyParameters(((Ed25519Key) key).raw(), 0));
                v.update(hash, 0, hash.length);
                return v.verifySignature(signature);
            }
            Signature v = Signature.getInstance("SHA256withRSA");
            v.initVerify(key);
            v.update(data);
            return v.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Failed(Result.FAIL, "the signature cannot be checked: " + e.getMessage());
        }
    }

    /**
     * The header data the signature covers (RFC 6376 §5.4.2, §3.7): the fields of h= — for a name given twice,
     * the next instance from the bottom; a name with no instance left adds nothing — then this DKIM-Signature field
     * with the value of b= removed, canonicalized, without its final CRLF.
     */
    private static byte[] headerData(byte[] wire, RawMessage parsed, RawMessage.Field self, Signed sig) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        Map<String, Integer> used = new HashMap<>();
        List<RawMessage.Field> fields = parsed.fields();
        for (String name : sig.signedHeaders) {
            int skip = used.merge(name, 1, Integer::sum) - 1;
            RawMessage.Field pick = null;
            for (int i = fields.size() - 1; i >= 0 && pick == null; i--) {
                if (fields.get(i).is(name) && skip-- == 0) pick = fields.get(i);
            }
            if (pick != null) canonicalHeader(pick, wire, sig.headerCanon, out);
        }
        byte[] withoutB = withoutSignatureValue(Arrays.copyOfRange(wire, self.start(), self.end()));
        RawMessage.Field f = RawMessage.parse(appendCrlf(withoutB)).fields().get(0);
        ByteArrayOutputStream last = new ByteArrayOutputStream(withoutB.length + 2);
        canonicalHeader(f, appendCrlf(withoutB), sig.headerCanon, last);
        byte[] l = last.toByteArray();
        out.write(l, 0, l.length - 2);
        return out.toByteArray();
    }

    private static void canonicalHeader(RawMessage.Field f, byte[] m, String canon, ByteArrayOutputStream out) {
        if (canon.equals("relaxed")) {
            Relaxed.header(f, m, out);
        } else {
            out.write(m, f.start(), f.end() - f.start());
            out.write('\r');
            out.write('\n');
        }
    }

    /** The field with everything between {@code b=} and the next {@code ;} (or the end) removed; bh= stays. */
    static byte[] withoutSignatureValue(byte[] field) {
        String s = new String(field, StandardCharsets.ISO_8859_1);
        int colon = s.indexOf(':');
        int pos = colon + 1;
        while (pos < s.length()) {
            int semi = s.indexOf(';', pos);
            int end = semi < 0 ? s.length() : semi;
            String tag = s.substring(pos, end);
            int eq = tag.indexOf('=');
            if (eq > 0 && tag.substring(0, eq).strip().equals("b")) {
                return (s.substring(0, pos + eq + 1) + s.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
            }
            pos = end + 1;
        }
        return field;
    }

    private static byte[] appendCrlf(byte[] b) {
        byte[] out = Arrays.copyOf(b, b.length + 2);
        out[b.length] = '\r';
        out[b.length + 1] = '\n';
        return out;
    }

    /** The body canonicalized (RFC 6376 §3.4.3 simple, §3.4.4 relaxed). */
    static byte[] canonicalBody(byte[] m, int start, String canon) {
        if (canon.equals("relaxed")) return Relaxed.body(m, start, m.length);
        // simple: empty lines at the end go; a body that is then empty is one CRLF; a last line gets its CRLF.
        int end = m.length;
        while (end - start >= 4 && m[end - 4] == '\r' && m[end - 3] == '\n' && m[end - 2] == '\r' && m[end - 1] == '\n') end -= 2;
        if (end == start || (end - start == 2 && m[start] == '\r' && m[start + 1] == '\n')) return new byte[] {'\r', '\n'};
        byte[] body = Arrays.copyOfRange(m, start, end);
        return body[body.length - 1] == '\n' && body.length >= 2 && body[body.length - 2] == '\r' ? body : appendCrlf(body);
    }

    /** The value of a field (after the colon), unfolded. */
    private static String value(byte[] wire, RawMessage.Field f) {
        return new String(wire, f.colon() + 1, f.end() - f.colon() - 1, StandardCharsets.ISO_8859_1).replace("\r\n", "");
    }

    /** A tag list (RFC 6376 §3.2): {@code tag=value; …}, whitespace around tags and values ignored, no tag twice. */
    static Map<String, String> tags(String list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : list.split(";", -1)) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("\"" + part.strip() + "\" is not tag=value");
            String tag = part.substring(0, eq).strip();
            if (!tag.matches("[A-Za-z][A-Za-z0-9_]*")) throw new IllegalArgumentException("\"" + tag + "\" is not a tag name");
            String value = part.substring(eq + 1).replaceAll("[ \t\r\n]+", " ").strip();
            if (out.put(tag, value) != null) throw new IllegalArgumentException("the tag " + tag + "= is there twice");
        }
        return out;
    }

    private static byte[] base64(String value, String tag) throws Failed {
        try {
            return Base64.getDecoder().decode(value.replaceAll("[ \t\r\n]", ""));
        } catch (IllegalArgumentException e) {
            throw new Failed(Result.PERMERROR, tag + "= is not base64");
        }
    }

    private static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, length);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
