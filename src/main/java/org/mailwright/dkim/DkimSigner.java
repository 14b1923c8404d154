package org.mailwright.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.mailwright.mail.HostName;

/**
 * Signs outgoing mail with DKIM (RFC 6376), one {@code DKIM-Signature} per key:
 * {@code a=rsa-sha256} for RSA keys, {@code a=ed25519-sha256} for Ed25519 keys (RFC 8463),
 * always {@code c=relaxed/relaxed}. Immutable and safe to share between threads.
 */
public final class DkimSigner {

    /**
     * Header fields signed when present, in this order in {@code h=}; From is required
     * (RFC 6376 §5.4). The last instance of each is signed (§5.4.2).
     */
    public static final List<String> SIGNED_HEADERS = List.of(
            "from", "to", "cc", "subject", "date", "message-id", "reply-to", "in-reply-to",
            "references", "mime-version", "content-type", "content-transfer-encoding",
            "list-id", "list-unsubscribe");

    private static final String HEADER_NAME = "DKIM-Signature";
    /** RFC 5322 §2.1.1: lines SHOULD be at most 78 characters; we stay below. */
    private static final int MAX_LINE = 76;

    private final Clock clock;

    /** A signer whose {@code t=} is the system clock. */
    public DkimSigner() {
        this(Clock.systemUTC());
    }

    /** A signer whose {@code t=} comes from {@code clock} (for tests and reproducible output). */
    public DkimSigner(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Signs with one key; see {@link #sign(byte[], String, List)}. */
    public byte[] sign(byte[] message, String domain, DkimKey key) {
        return sign(message, domain, List.of(key));
    }

    /**
     * Returns {@code message} with one {@code DKIM-Signature:} header field per key prepended,
     * in the order of {@code keys} (the first key's signature on top).
     *
     * @param message the message in wire format: header fields, an empty line, the body, lines
     *                ending in CRLF. A bare LF is taken as CRLF, and the result carries CRLF.
     * @param domain  the signing domain {@code d=}; the key must be published under
     *                {@code SELECTOR._domainkey.DOMAIN}. For DMARC it should be the From domain
     *                or its organizational domain.
     * @param keys    the keys to sign with; none gives the message back unsigned
     * @throws IllegalArgumentException if the message has no From header field or the domain is malformed
     */
    public byte[] sign(byte[] message, String domain, List<DkimKey> keys) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(keys, "keys");
        String d = checkDomain(domain);
        byte[] wire = RawMessage.toCrlf(message);
        if (keys.isEmpty()) {
            return wire;
        }
        RawMessage parsed = RawMessage.parse(wire);

        // Header fields to sign and their relaxed form (RFC 6376 §3.7, step 2 of the hash).
        List<String> signed = new ArrayList<>();
        ByteArrayOutputStream headerData = new ByteArrayOutputStream(512);
        for (String name : SIGNED_HEADERS) {
            RawMessage.Field field = parsed.last(name);
            if (field != null) {
                signed.add(name);
                Relaxed.header(field, wire, headerData);
            }
        }
        if (!signed.contains("from")) {
            throw new IllegalArgumentException(
                    "cannot DKIM-sign a message without a From: header field (RFC 6376 §5.4 requires signing it); "
                            + "add From: before the message is queued");
        }
        byte[] canonicalHeaders = headerData.toByteArray();

        // bh= : SHA-256 of the relaxed body (RFC 6376 §3.7, step 1).
        byte[] body = Relaxed.body(wire, parsed.bodyStart(), wire.length);
        String bodyHash = Base64.getEncoder().encodeToString(sha256().digest(body));
        long timestamp = clock.instant().getEpochSecond();

        ByteArrayOutputStream out = new ByteArrayOutputStream(wire.length + keys.size() * 600);
        for (DkimKey key : keys) {
            byte[] header = signatureHeader(key, d, timestamp, signed, bodyHash, canonicalHeaders);
            out.write(header, 0, header.length);
        }
        out.write(wire, 0, wire.length);
        return out.toByteArray();
    }

    /** Builds one complete DKIM-Signature field, ending in CRLF. */
    private static byte[] signatureHeader(DkimKey key, String domain, long timestamp, List<String> signed,
                                          String bodyHash, byte[] canonicalHeaders) {
        Folder f = new Folder(HEADER_NAME + ":");
        f.token("v=1;");
        f.token("a=" + key.type().algorithmTag() + ";");
        f.token("c=relaxed/relaxed;");
        f.token("d=" + domain + ";");
        f.token("s=" + key.selector() + ";");
        f.token("t=" + timestamp + ";");
        // h= may fold after a colon (RFC 6376 §3.5, sig-h-tag allows FWS around ":").
        for (int i = 0; i < signed.size(); i++) {
            String piece = (i == 0 ? "h=" : "") + signed.get(i) + (i == signed.size() - 1 ? ";" : ":");
            f.piece(piece, i == 0);
        }
        f.token("bh=" + bodyHash + ";");
        f.newLine();
        f.piece("b=", false);
        String unsigned = f.toString();

        // RFC 6376 §3.7: hash the signed fields, then this field with an empty b= value,
        // canonicalized the same way and without its final CRLF.
        byte[] raw = unsigned.getBytes(StandardCharsets.US_ASCII);
        RawMessage.Field self = RawMessage.parse(raw).fields().get(0);
        ByteArrayOutputStream data = new ByteArrayOutputStream(canonicalHeaders.length + raw.length);
        data.write(canonicalHeaders, 0, canonicalHeaders.length);
        Relaxed.header(self, raw, data);
        byte[] toSign = data.toByteArray();
        byte[] signature = signData(key, toSign, 0, toSign.length - 2);

        // b= folds freely (FWS is allowed inside base64string, §3.5); continuation lines start with a TAB.
        String b = Base64.getEncoder().encodeToString(signature);
        StringBuilder sb = new StringBuilder(unsigned.length() + b.length() + 32).append(unsigned);
        int room = MAX_LINE - f.lineLength();
        int pos = 0;
        while (pos < b.length()) {
            int n = Math.min(room, b.length() - pos);
            if (pos > 0) {
                sb.append("\r\n\t");
            }
            sb.append(b, pos, pos + n);
            pos += n;
            room = MAX_LINE - 1;
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The signature over the header data {@code data[off, off+len)}.
     * RSA: RSASSA-PKCS1-v1_5 with SHA-256 (RFC 6376 §3.3.1).
     * Ed25519: RFC 8463 §3, PureEdDSA Ed25519 over the SHA-256 hash of the header data (not over
     * the data itself). Ed25519 is deterministic (RFC 8032 §5.1.6): BouncyCastle and the JDK give
     * the same bytes, BouncyCastle about ten times faster, as the JDK derives the public key again
     * on every signature.
     */
    static byte[] signData(DkimKey key, byte[] data, int off, int len) {
        try {
            return switch (key.type()) {
                case RSA -> {
                    Signature s = Signature.getInstance("SHA256withRSA");
                    s.initSign(key.privateKey());
                    s.update(data, off, len);
                    yield s.sign();
                }
                case ED25519 -> {
                    MessageDigest md = sha256();
                    md.update(data, off, len);
                    byte[] hash = md.digest();
                    byte[] seed = key.privateKey() instanceof EdECPrivateKey ed ? ed.getBytes().orElse(null) : null;
                    if (seed == null || seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
                        Signature s = Signature.getInstance("Ed25519");
                        s.initSign(key.privateKey());
                        s.update(hash);
                        yield s.sign();
                    }
                    Ed25519Signer s = new Ed25519Signer();
                    s.init(true, new Ed25519PrivateKeyParameters(seed, 0));
                    s.update(hash, 0, hash.length);
                    yield s.generateSignature();
                }
            };
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("DKIM signing with " + key.type() + " key '" + key.selector()
                    + "' failed: " + e.getMessage() + "; check the key file or generate a new key", e);
        }
    }

    private static String checkDomain(String domain) {
        String d = domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (!HostName.isValid(d)) {
            throw new IllegalArgumentException("invalid DKIM signing domain '" + domain
                    + "': give a DNS name such as example.org (internationalized names in xn-- form)");
        }
        return d;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** Lays out a header field's tags, folding with CRLF TAB before a line grows past MAX_LINE. */
    private static final class Folder {
        private final StringBuilder sb = new StringBuilder(256);
        private int lineLength;

        Folder(String start) {
            sb.append(start);
            lineLength = start.length();
        }

        /** A tag, separated from what precedes it by a space or a fold. */
        void token(String t) {
            piece(t, true);
        }

        /** A piece of text; {@code space} puts a space before it unless it starts a new line. */
        void piece(String t, boolean space) {
            int needed = t.length() + (space ? 1 : 0);
            if (lineLength + needed > MAX_LINE && lineLength > 1) {
                newLine();
            } else if (space) {
                sb.append(' ');
                lineLength++;
            }
            sb.append(t);
            lineLength += t.length();
        }

        void newLine() {
            sb.append("\r\n\t");
            lineLength = 1;
        }

        int lineLength() {
            return lineLength;
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
