package org.mailwright.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.mailwright.config.Config;
import org.mailwright.tls.CertificateInfo;

/**
 * Certificate status and renewal for the TLS view. {@link PemCertificateSource} reads the PEM files and makes
 * self-signed certificates; Let's Encrypt goes through the {@code tls} package's ACME client.
 */
public interface CertificateSource {
    /** The certificate in use, or empty when there is none yet. */
    Optional<CertificateInfo> current(Config config, Path dataDir) throws IOException;

    /** Makes a new self-signed certificate for the hostname (and domains). */
    void selfSigned(Config config, Path dataDir) throws IOException;

    /** Issues or renews a certificate from Let's Encrypt; throws with what to do when that is not available here. */
    void acme(Config config, Path dataDir, boolean staging, java.util.function.Consumer<String> progress) throws IOException;
}
