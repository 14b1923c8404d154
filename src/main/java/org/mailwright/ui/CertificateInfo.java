package org.mailwright.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What the TLS view and the dashboard say about the listeners' certificate. */
public record CertificateInfo(String subject, List<String> names, String issuer, Instant notBefore, Instant notAfter,
                              boolean selfSigned) {
    public CertificateInfo {
        names = List.copyOf(names);
    }

    public long daysLeft(Instant now) {
        return Duration.between(now, notAfter).toDays();
    }
}
