package org.mailwright.tls;

import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/** What a person wants to know about the certificate in use: who it names, who signed it, how long it lasts. */
public record CertificateInfo(String subject, List<String> names, String issuer, Instant notBefore, Instant notAfter,
                              String serial, String keyType, boolean selfSigned) {

    public CertificateInfo {
        names = List.copyOf(names);
    }

    public static CertificateInfo of(X509Certificate cert) {
        return new CertificateInfo(cert.getSubjectX500Principal().getName(X500Principal.RFC2253),
                dnsNames(cert), cert.getIssuerX500Principal().getName(X500Principal.RFC2253),
                cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(),
                cert.getSerialNumber().toString(16), keyType(cert.getPublicKey()),
                cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal()));
    }

    /** Whole days until the certificate expires (negative once it has). */
    public long daysLeft(Clock clock) {
        return Duration.between(clock.instant(), notAfter).toDays();
    }

    public boolean expired(Clock clock) {
        return !clock.instant().isBefore(notAfter);
    }

    /** True when one of the names covers {@code host}: equal, or a wildcard for its parent (RFC 6125 §6.4.3). */
    public boolean covers(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String n : names) {
            String name = n.toLowerCase(Locale.ROOT);
            if (name.equals(h)) return true;
            if (name.startsWith("*.") && h.indexOf('.') > 0 && h.substring(h.indexOf('.') + 1).equals(name.substring(2))) {
                return true;
            }
        }
        return false;
    }

    /** The subjectAltName DNS names; the subject's CN only when there are none (old certificates). */
    static List<String> dnsNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) out.add(String.valueOf(san.get(1))); // dNSName
                }
            }
        } catch (CertificateParsingException e) {
            // no usable SAN: fall back to the CN below
        }
        if (out.isEmpty()) {
            for (String rdn : cert.getSubjectX500Principal().getName(X500Principal.RFC2253).split(",")) {
                if (rdn.startsWith("CN=")) out.add(rdn.substring(3));
            }
        }
        return out;
    }

    static String keyType(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) return "RSA " + rsa.getModulus().bitLength();
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return "ECDSA P-" + bits;
        }
        return key.getAlgorithm();
    }
}
