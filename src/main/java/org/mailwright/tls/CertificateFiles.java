package org.mailwright.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.mailwright.io.DurableFiles;

/**
 * The certificate and its key as one unit on disk ({@code fullchain.pem} + {@code privkey.pem}).
 * Each file is replaced atomically, but two renames are not one: a crash between them would pair the old
 * certificate with the new key. So both new files are first written in full beside their targets
 * ({@code .NAME.pending}), then renamed key first, chain second; {@link #recover()} finishes a switch a crash
 * interrupted. The states are unambiguous: key pending alone = not fully written (dropped); both pending =
 * written (renamed now); chain pending alone = key already renamed (chain renamed now).
 */
public final class CertificateFiles {
    private final Path certFile;
    private final Path keyFile;

    public CertificateFiles(Path certFile, Path keyFile) {
        this.certFile = certFile;
        this.keyFile = keyFile;
    }

    public Path certFile() {
        return certFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    private static Path pending(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".pending");
    }

    /** Replaces both files; the key is mode 0600 from its first byte. */
    public void install(List<X509Certificate> chain, PrivateKey key) throws IOException {
        Path pendingKey = pending(keyFile);
        Path pendingCert = pending(certFile);
        Files.deleteIfExists(pendingCert); // a chain pending from an older switch must not outlive this key
        Pem.writePrivateKey(pendingKey, key);
        Pem.writeChain(pendingCert, chain);
        finish();
    }

    /** Completes a switch that a crash interrupted; does nothing when none is pending. */
    public void recover() throws IOException {
        Path pendingKey = pending(keyFile);
        Path pendingCert = pending(certFile);
        if (Files.exists(pendingKey) && !Files.exists(pendingCert)) {
            Files.delete(pendingKey); // never fully written: the old pair stays
            return;
        }
        finish();
    }

    private void finish() throws IOException {
        Path pendingKey = pending(keyFile);
        Path pendingCert = pending(certFile);
        if (Files.exists(pendingKey)) {
            DurableFiles.move(pendingKey, keyFile);
            DurableFiles.syncDirectory(keyFile.toAbsolutePath().getParent());
        }
        if (Files.exists(pendingCert)) {
            DurableFiles.move(pendingCert, certFile);
            DurableFiles.syncDirectory(certFile.toAbsolutePath().getParent());
        }
    }
}
