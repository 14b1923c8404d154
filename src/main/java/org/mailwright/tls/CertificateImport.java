package org.mailwright.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code tls import}: certificate files obtained elsewhere (another ACME client, a commercial CA), checked
 * before they replace the ones in use — a broken pair would stop STARTTLS for every peer.
 */
public final class CertificateImport {
    private CertificateImport() {}

    /** A checked chain (leaf first) and its key, with notes for the user (reordered chain, expiring soon). */
    public record Checked(List<X509Certificate> chain, PrivateKey key, CertificateInfo leaf, List<String> notes) {
        public Checked {
            chain = List.copyOf(chain);
            notes = List.copyOf(notes);
        }
    }

    /**
     * Reads and checks: the key belongs to a certificate of the file, the chain runs leaf first with each
     * certificate signed by the next, the leaf names every one of {@code names}, and it is valid now.
     * A chain given in another order is put in order (with a note); anything else is an {@link IOException}
     * that says what is wrong.
     */
    public static Checked check(Path certFile, Path keyFile, List<String> names, Clock clock) throws IOException {
        List<X509Certificate> given = Pem.readCertificates(certFile);
        PrivateKey key;
        try {
            key = Pem.readPrivateKey(keyFile);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + " — pass the private key with --key (an encrypted key must be decrypted first:"
                    + " openssl pkey -in KEY -out plain.pem)", e);
        }
        Optional<X509Certificate> leaf = given.stream().filter(c -> keyMatches(key, c.getPublicKey())).findFirst();
        if (leaf.isEmpty()) {
            throw new IOException(keyFile + " is not the private key of any certificate in " + certFile
                    + " — pass the key that was made together with this certificate");
        }
        List<String> notes = new ArrayList<>();
        List<X509Certificate> chain = order(leaf.get(), given);
        if (chain.size() != given.size()) {
            throw new IOException(certFile + " holds certificates that do not belong to one chain from the leaf ("
                    + CertificateInfo.of(leaf.get()).subject() + ") — keep only the leaf and its intermediate CA(s), leaf first");
        }
        if (!chain.equals(given)) {
            notes.add("the chain was not in order; it is stored leaf first, then each issuer");
        }
        CertificateInfo info = CertificateInfo.of(chain.get(0));
        for (String name : names) {
            if (!info.covers(name)) {
                throw new IOException("the certificate does not cover " + name + " (it names " + String.join(", ", info.names())
                        + ") — get one that includes " + name + ", or change the hostname");
            }
        }
        if (info.expired(clock)) {
            throw new IOException("the certificate expired on " + info.notAfter() + " — get a current one");
        }
        if (clock.instant().isBefore(info.notBefore())) {
            throw new IOException("the certificate is not valid before " + info.notBefore()
                    + " — check this host's clock, or wait until then");
        }
        long days = info.daysLeft(clock);
        if (days < CertificateRenewal.RENEW_BEFORE_DAYS) {
            notes.add("it expires in " + days + " days (" + info.notAfter() + "); import a new one before then");
        }
        if (chain.size() == 1 && !info.selfSigned()) {
            notes.add("the file holds only the leaf; peers that lack the intermediate CA will not verify it — add the chain");
        }
        return new Checked(chain, key, info, notes);
    }

    /** The chain from {@code leaf} upwards through {@code certs}, each certificate followed by the one that signed it. */
    static List<X509Certificate> order(X509Certificate leaf, List<X509Certificate> certs) {
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        X509Certificate current = leaf;
        while (true) {
            if (current.getSubjectX500Principal().equals(current.getIssuerX500Principal())) break; // a root
            X509Certificate issuer = null;
            for (X509Certificate c : certs) {
                if (!chain.contains(c) && c.getSubjectX500Principal().equals(current.getIssuerX500Principal())
                        && signedBy(current, c.getPublicKey())) {
                    issuer = c;
                    break;
                }
            }
            if (issuer == null) break;
            chain.add(issuer);
            current = issuer;
        }
        return chain;
    }

    private static boolean signedBy(X509Certificate cert, PublicKey issuerKey) {
        try {
            cert.verify(issuerKey);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** True when {@code key} is the private half of {@code pub}: a signature made with one verifies with the other. */
    public static boolean keyMatches(PrivateKey key, PublicKey pub) {
        if (!key.getAlgorithm().equals(pub.getAlgorithm()) && !(isEc(key.getAlgorithm()) && isEc(pub.getAlgorithm()))) {
            return false;
        }
        String alg = switch (pub.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (alg == null) return false;
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(pub);
            verifier.update(probe);
            return verifier.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isEc(String alg) {
        return alg.equals("EC") || alg.equals("ECDSA");
    }
}
