package org.mailwright.dkim;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * DKIM key generation and storage: {@code DKIM_DIR/SELECTOR.key}, a PKCS#8 PEM private key
 * readable by its owner only (0600), and the DNS TXT record that publishes its public key.
 */
public final class DkimKeys {

    /** RSA key size when none is given; RFC 8301 §3.2: signers SHOULD use at least 2048 bits. */
    public static final int DEFAULT_RSA_BITS = 2048;

    /** File name suffix of key files: {@code SELECTOR.key}. */
    public static final String KEY_SUFFIX = ".key";

    /** RFC 6376 §3.1: selector = sub-domain *("." sub-domain); sub-domain as in RFC 5321. */
    private static final Pattern SELECTOR = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private DkimKeys() {
    }

    /** Generates a key ({@link #DEFAULT_RSA_BITS} bits for RSA) and writes {@code dkimDir/selector.key}. */
    public static DkimKey generate(Path dkimDir, String selector, KeyType type) throws IOException {
        return generate(dkimDir, selector, type, DEFAULT_RSA_BITS);
    }

    /**
     * Generates a key and writes it to {@code dkimDir/selector.key} (mode 0600, PKCS#8 PEM).
     * An existing key file is never overwritten: a new key gets a new selector (RFC 6376 §3.1),
     * so that mail signed with the old one still verifies while its DNS record stays published.
     *
     * @param rsaBits RSA modulus size, 1024 to 8192 (ignored for Ed25519)
     * @throws FileAlreadyExistsException if the selector already has a key file
     */
    public static DkimKey generate(Path dkimDir, String selector, KeyType type, int rsaBits) throws IOException {
        checkSelector(selector);
        if (type == KeyType.RSA && (rsaBits < 1024 || rsaBits > 8192)) {
            // RFC 8301 §3.2: signers MUST use RSA keys of at least 1024 bits.
            throw new IllegalArgumentException(
                    "RSA key size " + rsaBits + " is out of range: use 1024 to 8192 bits (2048 recommended)");
        }
        Path target = dkimDir.resolve(selector + KEY_SUFFIX);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "a DKIM key with selector '" + selector + "' already exists; choose another selector "
                            + "(or delete the file if its DNS record is no longer published)");
        }
        KeyPair pair = newKeyPair(type, rsaBits);
        writePrivately(dkimDir, target, toPem(pair.getPrivate()));
        return new DkimKey(selector, type, pair.getPrivate(), pair.getPublic());
    }

    /** Loads one key file; the selector is the file name without {@code .key}. */
    public static DkimKey load(Path keyFile) throws IOException {
        String name = keyFile.getFileName().toString();
        String selector = name.endsWith(KEY_SUFFIX) ? name.substring(0, name.length() - KEY_SUFFIX.length()) : name;
        if (!SELECTOR.matcher(selector).matches()) {
            throw new IOException(keyFile + ": '" + selector + "' is not a valid DKIM selector "
                    + "(letters, digits, '-' and '.'); rename the file to SELECTOR.key");
        }
        String pem;
        try {
            pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(keyFile.toString(), null,
                    "DKIM key file not found; create one with 'mailwright dkim keygen'");
        }
        try {
            return parsePem(selector, pem);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(keyFile + ": cannot read DKIM private key: " + e.getMessage()
                    + "; expected an unencrypted PEM private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)"
                    + " of type RSA or Ed25519", e);
        }
    }

    /** Loads every {@code *.key} in {@code dkimDir}, sorted by selector; none if the directory is absent. */
    public static List<DkimKey> loadAll(Path dkimDir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dkimDir)) {
            return List.of();
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(dkimDir, "*" + KEY_SUFFIX)) {
            for (Path p : dir) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        List<DkimKey> keys = new ArrayList<>(files.size());
        for (Path p : files) {
            keys.add(load(p));
        }
        return List.copyOf(keys);
    }

    /**
     * The TXT record value publishing the key's public half (RFC 6376 §3.6.1):
     * RSA: {@code p=} is the DER SubjectPublicKeyInfo; Ed25519 (RFC 8463 §4): the raw 32-byte key.
     */
    public static String dnsTxtValue(DkimKey key) {
        byte[] p = switch (key.type()) {
            case RSA -> key.publicKey().getEncoded();
            case ED25519 -> rawEd25519PublicKey(key.publicKey());
        };
        return "v=DKIM1; k=" + key.type().keyTag() + "; p=" + Base64.getEncoder().encodeToString(p);
    }

    /** The DNS name of the key record: {@code SELECTOR._domainkey.DOMAIN} (RFC 6376 §3.6.2.1). */
    public static String dnsName(String selector, String domain) {
        checkSelector(selector);
        return selector + "._domainkey." + domain;
    }

    /**
     * Splits a TXT value into character-strings of at most 255 bytes (RFC 1035 §3.3.14);
     * verifiers join them again (RFC 6376 §3.6.2.2). A 2048-bit RSA record needs two.
     */
    public static List<String> txtStrings(String value) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 255) {
            parts.add(value.substring(i, Math.min(value.length(), i + 255)));
        }
        return parts.isEmpty() ? List.of("") : List.copyOf(parts);
    }

    public static void checkSelector(String selector) {
        if (selector == null || !SELECTOR.matcher(selector).matches()) {
            throw new IllegalArgumentException("invalid DKIM selector '" + selector
                    + "': use letters, digits and '-', labels separated by '.', e.g. 'mail2025'");
        }
    }

    static byte[] rawEd25519PublicKey(PublicKey publicKey) {
        // X.509 SubjectPublicKeyInfo (RFC 8410 §4) wraps the 32 raw key bytes in a BIT STRING.
        return SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData().getOctets();
    }

    private static KeyPair newKeyPair(KeyType type, int rsaBits) {
        try {
            return switch (type) {
                case RSA -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(rsaBits);
                    yield g.generateKeyPair();
                }
                case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot generate " + type + " keys: " + e.getMessage(), e);
        }
    }

    private static String toPem(PrivateKey key) {
        // PrivateKey.getEncoded() is PKCS#8 for both RSA and Ed25519 (RFC 5958, RFC 8410 §7).
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    /** Temp file created 0600 before any byte is written, fsync'd, then renamed into place. */
    private static void writePrivately(Path dir, Path target, String content) throws IOException {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } else {
                Files.createDirectories(dir);
            }
        }
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attrs);
        try {
            if (posix) {
                Files.setPosixFilePermissions(tmp, OWNER_READ_WRITE); // in case the umask or FS ignored the mode
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        fsyncDirectory(dir);
    }

    private static void fsyncDirectory(Path dir) {
        // Makes the rename durable on Linux; some platforms cannot open a directory, which is fine.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    private static DkimKey parsePem(String selector, String pem) throws IOException, GeneralSecurityException {
        Object obj;
        try (Reader r = new StringReader(pem); PEMParser parser = new PEMParser(r)) {
            obj = parser.readObject();
        }
        PrivateKeyInfo info;
        if (obj instanceof PrivateKeyInfo pki) {
            info = pki;
        } else if (obj instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo(); // PKCS#1 "RSA PRIVATE KEY", as older opendkim-genkey writes
        } else if (obj instanceof PKCS8EncryptedPrivateKeyInfo || obj instanceof PEMEncryptedKeyPair) {
            throw new IOException("the key is encrypted with a passphrase; a mail server needs it unencrypted");
        } else if (obj == null) {
            throw new IOException("no PEM block found");
        } else {
            throw new IOException("the PEM block is not a private key (" + obj.getClass().getSimpleName() + ")");
        }
        ASN1ObjectIdentifier alg = info.getPrivateKeyAlgorithm().getAlgorithm();
        // Re-encode as a version 1 PKCS#8 structure without optional attributes or public key.
        byte[] pkcs8 = new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey()).getEncoded();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(alg)) {
            KeyFactory kf = KeyFactory.getInstance("RSA");
            PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            if (!(priv instanceof RSAPrivateCrtKey crt)) {
                throw new IOException("the RSA key lacks its public exponent (not a CRT key)");
            }
            PublicKey pub = kf.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new DkimKey(selector, KeyType.RSA, priv, pub);
        }
        if (EdECObjectIdentifiers.id_Ed25519.equals(alg)) {
            // RFC 8410 §7: the private key is an OCTET STRING holding the 32-byte seed.
            byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
            if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
                throw new IOException("Ed25519 private key has " + seed.length + " bytes, expected 32");
            }
            byte[] rawPub = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
            byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), rawPub)
                    .getEncoded();
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(spki));
            return new DkimKey(selector, KeyType.ED25519, priv, pub);
        }
        throw new IOException("unsupported key algorithm " + alg.getId() + "; DKIM keys are RSA or Ed25519");
    }
}
