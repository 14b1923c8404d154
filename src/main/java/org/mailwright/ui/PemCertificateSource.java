package org.mailwright.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.mailwright.config.Config;
import org.mailwright.io.DurableFiles;
import org.mailwright.tls.AcmeClient;
import org.mailwright.tls.AcmeFailure;
import org.mailwright.tls.CertificateFiles;
import org.mailwright.tls.CertificateInfo;
import org.mailwright.tls.CertificateRenewal;
import org.mailwright.tls.Pem;
import org.mailwright.tls.SelfSigned;

/** Reads {@code DATA/tls/fullchain.pem}; makes self-signed certificates with {@link SelfSigned}. */
public final class PemCertificateSource implements CertificateSource {

    @Override
    public Optional<CertificateInfo> current(Config config, Path dataDir) throws IOException {
        Path file = config.tls().certPath(dataDir);
        if (config.tls().mode() == Config.TlsMode.NONE || !Files.exists(file)) return Optional.empty();
        return Optional.of(CertificateInfo.of(Pem.readCertificates(file).get(0)));
    }

    @Override
    public void selfSigned(Config config, Path dataDir) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        names.add(config.hostname());
        DurableFiles.createPrivateDirectory(config.tls().certPath(dataDir).getParent());
        SelfSigned.create(List.copyOf(names), Duration.ofDays(365), config.tls().certPath(dataDir), config.tls().keyPath(dataDir));
    }

    /** Let's Encrypt with the tls package's ACME client and HTTP-01 responder, as `mailwright tls acme` does. */
    @Override
    public void acme(Config config, Path dataDir, boolean staging, Consumer<String> progress) throws IOException {
        AcmeClient.Request r = CertificateRenewal.acmeRequest(dataDir, config);
        String directory = staging ? "letsencrypt-staging" : config.tls().acmeDirectory().isBlank() ? "letsencrypt" : config.tls().acmeDirectory();
        AcmeClient.Request request = new AcmeClient.Request(directory, r.email(), r.names(), r.httpPort(), r.bindAddresses(),
                r.trust(), r.publicIp());
        try {
            AcmeClient.Issued issued = new AcmeClient(CertificateRenewal.accountKeyFile(dataDir), progress).obtain(request);
            new CertificateFiles(config.tls().certPath(dataDir), config.tls().keyPath(dataDir)).install(issued.chain(), issued.key());
        } catch (AcmeFailure e) {
            throw new IOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("cancelled; the certificate in use is unchanged", e);
        }
    }
}
