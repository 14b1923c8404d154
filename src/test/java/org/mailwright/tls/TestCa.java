package org.mailwright.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A small certificate authority for tests: Pebble's HTTPS certificate, certificates to import. */
final class TestCa {
    final KeyPair key;
    final X509Certificate cert;

    private TestCa(KeyPair key, X509Certificate cert) {
        this.key = key;
        this.cert = cert;
    }

    static KeyPair ecKey() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    static KeyPair rsaKey() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** A root CA valid for a day. */
    static TestCa root(String name) throws Exception {
        KeyPair kp = ecKey();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(300)),
                Date.from(now.plusSeconds(86400)), subject, kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new TestCa(kp, sign(b, kp));
    }

    /** An intermediate CA signed by this one. */
    TestCa intermediate(String name) throws Exception {
        KeyPair kp = ecKey();
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(cert.getSubjectX500Principal().getName()),
                serial(), Date.from(now.minusSeconds(300)), Date.from(now.plusSeconds(86400)), new X500Name("CN=" + name),
                kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new TestCa(kp, sign(b, key));
    }

    /** A server certificate for DNS names and IP addresses (an entry with only digits and dots is an IP). */
    X509Certificate leaf(KeyPair subjectKey, List<String> names, Instant notBefore, Instant notAfter) throws Exception {
        return leaf(subjectKey, names.get(0), names, notBefore, notAfter);
    }

    X509Certificate leaf(KeyPair subjectKey, List<String> names) throws Exception {
        return leaf(subjectKey, names.get(0), names);
    }

    /** A server certificate whose subject CN is {@code commonName}; no subjectAltName at all when {@code names} is empty. */
    X509Certificate leaf(KeyPair subjectKey, String commonName, List<String> names) throws Exception {
        Instant now = Instant.now();
        return leaf(subjectKey, commonName, names, now.minusSeconds(300), now.plusSeconds(90L * 86400));
    }

    private X509Certificate leaf(KeyPair subjectKey, String commonName, List<String> names, Instant notBefore, Instant notAfter)
            throws Exception {
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
            sans.add(n.matches("[0-9.]+") ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
        }
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(cert.getSubjectX500Principal().getName()),
                serial(), Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + commonName), subjectKey.getPublic());
        if (!sans.isEmpty()) b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        return sign(b, key);
    }

    void writeCert(Path file) throws IOException {
        Pem.writeChain(file, List.of(cert));
    }

    private static BigInteger serial() {
        return new BigInteger(63, new SecureRandom()).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(signer.getPrivate())));
    }
}
