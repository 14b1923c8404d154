package org.mailwright.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.mailwright.io.DurableFiles;

/** PEM files as acme-client and OpenSMTPD use them: {@code fullchain.pem} (leaf first) and {@code privkey.pem}. */
public final class Pem {
    private Pem() {}

    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) chain.add(converter.getCertificate(h));
            }
        } catch (CertificateException e) {
            throw new IOException(file + ": not a valid certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) throw new IOException(file + ": no certificate found (expected -----BEGIN CERTIFICATE-----)");
        return chain;
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(new BouncyCastleProvider());
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair kp) return jdkKey(converter.getPrivateKey(kp.getPrivateKeyInfo()));
                if (o instanceof PrivateKeyInfo pki) return jdkKey(converter.getPrivateKey(pki));
                if (o instanceof org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo
                        || o instanceof org.bouncycastle.openssl.PEMEncryptedKeyPair) {
                    throw new IOException(file + ": the private key is encrypted — decrypt it first (openssl pkey -in KEY -out plain.pem)");
                }
            }
        }
        throw new IOException(file + ": no private key found (expected -----BEGIN PRIVATE KEY----- or an RSA/EC key)");
    }

    /** The JDK's own key object: BouncyCastle's EC keys ("ECDSA") are refused by the JDK's signature engines. */
    private static PrivateKey jdkKey(PrivateKey key) throws IOException {
        String alg = switch (key.getAlgorithm()) {
            case "ECDSA" -> "EC";
            case "EdDSA" -> key.getEncoded().length > 60 ? "Ed448" : "Ed25519";
            default -> key.getAlgorithm();
        };
        try {
            return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            return key; // an algorithm only BouncyCastle knows: keep its object
        }
    }

    public static String encode(Object... objects) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) w.writeObject(o);
        }
        return out.toString();
    }

    public static void writeChain(Path file, List<X509Certificate> chain) throws IOException {
        DurableFiles.write(file, encode(chain.toArray()), false);
    }

    /** Writes a private key as PKCS#8, mode 0600 from the first byte. */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        DurableFiles.write(file, encode(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate()), true);
    }
}
