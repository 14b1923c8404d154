package org.mailwright.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.testing.TestData;
import org.mailwright.testing.InProcessCli;

/** {@code tls import} and {@code tls status} as a user meets them: files from another CA, checked before use. */
class CertificateImportTest {
    static final String HOST = "mail.import.test";

    @TempDir
    Path tmp;
    TestData data;
    TestCa root;
    TestCa intermediate;

    @BeforeEach
    void setUp() throws Exception {
        data = new TestData(tmp.resolve("data"), HOST, "import.test", "127.0.4.5");
        root = TestCa.root("Import Test Root");
        intermediate = root.intermediate("Import Test Intermediate");
    }

    Path write(String name, List<X509Certificate> chain) throws Exception {
        Path f = tmp.resolve(name);
        Pem.writeChain(f, chain);
        return f;
    }

    Path writeKey(String name, KeyPair kp) throws Exception {
        Path f = tmp.resolve(name);
        Pem.writePrivateKey(f, kp.getPrivate());
        return f;
    }

    @Test
    void aGoodPairIsCopiedInPlaceAndARunningEngineServesIt() throws Exception {
        KeyPair kp = TestCa.rsaKey();
        X509Certificate leaf = intermediate.leaf(kp, List.of(HOST, "mta-sts.import.test"));
        Path cert = write("chain.pem", List.of(leaf, intermediate.cert));
        Path key = writeKey("key.pem", kp);
        try (Engine engine = Engine.start(data.dir)) {
            InProcessCli.Run r = InProcessCli.inData(data.dir, "tls", "import", "--cert", cert.toString(), "--key", key.toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(0);
            assertThat(r.out()).contains("issuer:    CN=Import Test Intermediate").contains("key type:  RSA 2048");
            Path keyFile = data.dir.resolve("tls/privkey.pem");
            assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Pem.readCertificates(data.dir.resolve("tls/fullchain.pem"))).containsExactly(leaf, intermediate.cert);
            assertThat(ConfigLoader.load(data.dir).tls().mode()).as("imported files are not renewed by the engine")
                    .isEqualTo(Config.TlsMode.FILES);
            // The engine notices the new files by itself.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(TlsPeers.startTls("127.0.4.5", data.submission, HOST).serial())
                            .isEqualTo(leaf.getSerialNumber().toString(16)));
        }
        InProcessCli.Run status = InProcessCli.inData(data.dir, "tls", "status");
        assertThat(status.exit()).isEqualTo(0);
        assertThat(status.out()).contains("mode: files")
                .contains("subject:   CN=" + HOST)
                .contains("names:     " + HOST + ", mta-sts.import.test")
                .contains("issuer:    CN=Import Test Intermediate")
                .contains("not after: " + leaf.getNotAfter().toInstant())
                .contains("days left: 89")
                .contains("key type:  RSA 2048")
                .contains("(2 certificates in the chain)");
    }

    @Test
    void aChainGivenRootSideFirstIsPutInOrder() throws Exception {
        KeyPair kp = TestCa.ecKey();
        X509Certificate leaf = intermediate.leaf(kp, List.of(HOST));
        Path cert = write("reversed.pem", List.of(intermediate.cert, leaf));
        InProcessCli.Run r = InProcessCli.inData(data.dir, "tls", "import", "--cert", cert.toString(), "--key", writeKey("k.pem", kp).toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("the chain was not in order; it is stored leaf first");
        assertThat(Pem.readCertificates(data.dir.resolve("tls/fullchain.pem"))).containsExactly(leaf, intermediate.cert);
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        String before = Files.readString(data.dir.resolve("tls/fullchain.pem"));
        Path cert = write("c.pem", List.of(intermediate.leaf(TestCa.ecKey(), List.of(HOST)), intermediate.cert));
        InProcessCli.Run r = InProcessCli.inData(data.dir, "tls", "import", "--cert", cert.toString(), "--key", writeKey("other.pem", TestCa.ecKey()).toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("is not the private key of any certificate in").contains("nothing was changed");
        assertThat(Files.readString(data.dir.resolve("tls/fullchain.pem"))).isEqualTo(before);
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        KeyPair kp = TestCa.ecKey();
        Path cert = write("c.pem", List.of(intermediate.leaf(kp, List.of("www.import.test")), intermediate.cert));
        InProcessCli.Run r = InProcessCli.inData(data.dir, "tls", "import", "--cert", cert.toString(), "--key", writeKey("k.pem", kp).toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("the certificate does not cover " + HOST + " (it names www.import.test)");
    }

    @Test
    void aWildcardCoversTheHostname() throws Exception {
        KeyPair kp = TestCa.ecKey();
        Path cert = write("c.pem", List.of(intermediate.leaf(kp, List.of("*.import.test")), intermediate.cert));
        InProcessCli.Run r = InProcessCli.inData(data.dir, "tls", "import", "--cert", cert.toString(), "--key", writeKey("k.pem", kp).toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        KeyPair kp = TestCa.ecKey();
        Instant now = Instant.now();
        X509Certificate old = intermediate.leaf(kp, List.of(HOST), now.minusSeconds(100 * 86400L), now.minusSeconds(86400));
        Path cert = write("c.pem", List.of(old, intermediate.cert));
        InProcessCli.Run r = InProcessCli.inData(data.dir, "tls", "import", "--cert", cert.toString(), "--key", writeKey("k.pem", kp).toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("the certificate expired on " + old.getNotAfter().toInstant());
    }

    @Test
    void aCertificateFromAnotherChainIsRefused() throws Exception {
        KeyPair kp = TestCa.ecKey();
        TestCa stranger = TestCa.root("Stranger");
        Path cert = write("c.pem", List.of(intermediate.leaf(kp, List.of(HOST)), stranger.cert));
        InProcessCli.Run r = InProcessCli.inData(data.dir, "tls", "import", "--cert", cert.toString(), "--key", writeKey("k.pem", kp).toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("do not belong to one chain");
    }

    @Test
    void theEngineNeverReplacesAnImportedCertificateButSaysItExpiresSoon() throws Exception {
        KeyPair kp = TestCa.ecKey();
        Instant now = Instant.now();
        X509Certificate leaf = intermediate.leaf(kp, List.of(HOST), now.minusSeconds(60), now.plusSeconds(20 * 86400L));
        Path cert = write("c.pem", List.of(leaf, intermediate.cert));
        try (Engine engine = Engine.start(data.dir)) { // started self-signed; the import switches the mode on disk
            InProcessCli.Run r = InProcessCli.inData(data.dir, "tls", "import", "--cert", cert.toString(), "--key", writeKey("k.pem", kp).toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(0);
            assertThat(r.out()).contains("it expires in 19 days");
            engine.tls().orElseThrow().reloadIfChanged();
            assertThat(engine.renewal().orElseThrow().check()).isEqualTo(CertificateRenewal.Outcome.NOT_DUE);
            assertThat(data.maillog()).contains(" tls renewal-needed mode=files why=\"certificate expires in 19 days\"");
            assertThat(Pem.readCertificates(data.dir.resolve("tls/fullchain.pem")).get(0)).isEqualTo(leaf);
        }
    }

    @Test
    void statusShowsASelfSignedCertificate() throws Exception {
        InProcessCli.Run status = InProcessCli.inData(data.dir, "tls", "status");
        assertThat(status.exit()).isEqualTo(0);
        assertThat(status.out()).contains("mode: self-signed").contains("issuer:    CN=" + HOST + " (self-signed)")
                .contains("key type:  ECDSA P-256").contains("days left: 29")
                .contains("fewer than 30 days left — the running engine renews it");
    }
}
