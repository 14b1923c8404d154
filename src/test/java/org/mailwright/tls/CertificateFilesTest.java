package org.mailwright.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate and its key switch together, even when a crash hits between the two renames. */
class CertificateFilesTest {
    @TempDir
    Path dir;
    Path cert;
    Path key;
    CertificateFiles files;
    TestCa ca;

    @BeforeEach
    void setUp() throws Exception {
        cert = dir.resolve("fullchain.pem");
        key = dir.resolve("privkey.pem");
        files = new CertificateFiles(cert, key);
        ca = TestCa.root("Files Test CA");
    }

    X509Certificate install() throws Exception {
        KeyPair kp = TestCa.ecKey();
        X509Certificate leaf = ca.leaf(kp, List.of("mail.files.test"));
        files.install(List.of(leaf), kp.getPrivate());
        return leaf;
    }

    @Test
    void installReplacesBothAndLeavesNothingPending() throws Exception {
        install();
        X509Certificate second = install();
        assertThat(Pem.readCertificates(cert)).containsExactly(second);
        assertThat(new ServerTls(cert, key).certificate()).isEqualTo(second);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("fullchain.pem", "privkey.pem");
        }
    }

    @Test
    void aCrashAfterTheKeyWasRenamedIsFinishedAtStart() throws Exception {
        install();
        // The state a crash leaves after the key's rename: new key in place, new chain still pending.
        KeyPair kp = TestCa.ecKey();
        X509Certificate next = ca.leaf(kp, List.of("mail.files.test"));
        Pem.writePrivateKey(key, kp.getPrivate());
        Pem.writeChain(dir.resolve(".fullchain.pem.pending"), List.of(next));
        assertThat(CertificateImport.keyMatches(Pem.readPrivateKey(key), Pem.readCertificates(cert).get(0).getPublicKey()))
                .as("the pair on disk is broken").isFalse();
        ServerTls tls = new ServerTls(cert, key); // recovers first
        assertThat(tls.certificate()).isEqualTo(next);
    }

    @Test
    void aCrashWhileWritingLeavesTheOldPair() throws Exception {
        X509Certificate old = install();
        Pem.writePrivateKey(dir.resolve(".privkey.pem.pending"), TestCa.ecKey().getPrivate()); // the chain never got written
        files.recover();
        assertThat(Files.exists(dir.resolve(".privkey.pem.pending"))).isFalse();
        assertThat(new ServerTls(cert, key).certificate()).isEqualTo(old);
    }

    @Test
    void aCrashBeforeAnyRenameIsFinished() throws Exception {
        install();
        KeyPair kp = TestCa.ecKey();
        X509Certificate next = ca.leaf(kp, List.of("mail.files.test"));
        Pem.writePrivateKey(dir.resolve(".privkey.pem.pending"), kp.getPrivate());
        Pem.writeChain(dir.resolve(".fullchain.pem.pending"), List.of(next));
        assertThat(new ServerTls(cert, key).certificate()).isEqualTo(next);
    }

    @Test
    void aKeyOfAnotherCertificateIsNeverLoaded() throws Exception {
        X509Certificate old = install();
        ServerTls tls = new ServerTls(cert, key);
        Pem.writePrivateKey(key, TestCa.ecKey().getPrivate());
        assertThatThrownBy(tls::reloadIfChanged).hasMessageContaining("is not the private key of the certificate");
        assertThat(tls.certificate()).isEqualTo(old);
    }
}
