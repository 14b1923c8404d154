package org.mailwright.dkim;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DkimKeysTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void generatedKeyFileIsOwnerOnlyPkcs8Pem(KeyType type) throws Exception {
        Path dir = tmp.resolve("dkim");

        DkimKey key = DkimKeys.generate(dir, "mail", type);

        Path file = dir.resolve("mail.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        try (var listing = Files.list(dir)) {
            assertThat(listing).as("no temporary file left behind").containsExactly(file);
        }
        assertThat(key.selector()).isEqualTo("mail");
        assertThat(key.type()).isEqualTo(type);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void loadGivesBackTheSameKeyPair(KeyType type) throws Exception {
        DkimKey generated = DkimKeys.generate(tmp, "sel-1", type);

        DkimKey loaded = DkimKeys.load(tmp.resolve("sel-1.key"));

        assertThat(loaded.selector()).isEqualTo("sel-1");
        assertThat(loaded.type()).isEqualTo(type);
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(generated.privateKey().getEncoded());
        assertThat(loaded.publicKey().getEncoded()).isEqualTo(generated.publicKey().getEncoded());
        assertPairMatches(loaded);
    }

    @Test
    void rsaKeyHas2048BitsByDefault() throws Exception {
        DkimKey key = DkimKeys.generate(tmp, "rsa", KeyType.RSA);

        assertThat(((RSAPublicKey) key.publicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(((RSAPublicKey) DkimKeys.load(tmp.resolve("rsa.key")).publicKey()).getModulus().bitLength())
                .isEqualTo(2048);
    }

    @Test
    void rsaTxtValueParses() throws Exception {
        DkimKey key = DkimKeys.generate(tmp, "rsa", KeyType.RSA);

        Map<String, String> tags = tags(DkimKeys.dnsTxtValue(key));

        assertThat(tags).containsOnlyKeys("v", "k", "p").containsEntry("v", "DKIM1").containsEntry("k", "rsa");
        assertThat(DkimKeys.dnsTxtValue(key)).startsWith("v=DKIM1; ");
        byte[] spki = Base64.getDecoder().decode(tags.get("p"));
        RSAPublicKey pub = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
        assertThat(pub.getModulus().bitLength()).isEqualTo(2048);
        assertThat(pub).isEqualTo(key.publicKey());
    }

    @Test
    void ed25519TxtValueIsTheRaw32ByteKey() throws Exception {
        DkimKey key = DkimKeys.generate(tmp, "ed", KeyType.ED25519);

        Map<String, String> tags = tags(DkimKeys.dnsTxtValue(key));

        assertThat(tags).containsOnlyKeys("v", "k", "p").containsEntry("v", "DKIM1").containsEntry("k", "ed25519");
        byte[] raw = Base64.getDecoder().decode(tags.get("p"));
        assertThat(raw).hasSize(32);
        // The X.509 form is a fixed 12-byte prefix (RFC 8410) followed by the raw key.
        byte[] x509 = key.publicKey().getEncoded();
        assertThat(Arrays.copyOfRange(x509, x509.length - 32, x509.length)).isEqualTo(raw);
    }

    @Test
    void ed25519PublicKeyIsDerivedFromThePrivateKey() throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(tmp.resolve("ext.key"), pem(pair.getPrivate().getEncoded()));

        DkimKey loaded = DkimKeys.load(tmp.resolve("ext.key"));

        assertThat(loaded.publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void loadAllReadsEveryKeyFileSortedBySelector() throws Exception {
        Path dir = tmp.resolve("dkim");
        DkimKeys.generate(dir, "b2025", KeyType.ED25519);
        DkimKeys.generate(dir, "a2025", KeyType.RSA);
        Files.writeString(dir.resolve("README.txt"), "not a key");

        List<DkimKey> keys = DkimKeys.loadAll(dir);

        assertThat(keys).extracting(DkimKey::selector).containsExactly("a2025", "b2025");
        assertThat(keys).extracting(DkimKey::type).containsExactly(KeyType.RSA, KeyType.ED25519);
        assertThat(DkimKeys.loadAll(tmp.resolve("absent"))).isEmpty();
    }

    @Test
    void existingKeyIsNeverOverwritten() throws Exception {
        DkimKeys.generate(tmp, "mail", KeyType.ED25519);
        String before = Files.readString(tmp.resolve("mail.key"));

        assertThatThrownBy(() -> DkimKeys.generate(tmp, "mail", KeyType.RSA))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("choose another selector");
        assertThat(Files.readString(tmp.resolve("mail.key"))).isEqualTo(before);
    }

    @Test
    void badSelectorsAreRefused() {
        for (String bad : new String[] {"", "../x", "a b", "-x", "x-", "a..b", "sel;k=rsa", "a/b"}) {
            assertThatThrownBy(() -> DkimKeys.generate(tmp, bad, KeyType.ED25519)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("selector");
        }
    }

    @Test
    void unreadableKeyFileSaysWhatIsWrong() throws Exception {
        Files.writeString(tmp.resolve("junk.key"), "hello\n");
        Files.writeString(tmp.resolve("cert.key"), "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> DkimKeys.load(tmp.resolve("junk.key")))
                .hasMessageContaining("junk.key").hasMessageContaining("no PEM block");
        assertThatThrownBy(() -> DkimKeys.load(tmp.resolve("cert.key"))).hasMessageContaining("cert.key");
        assertThatThrownBy(() -> DkimKeys.load(tmp.resolve("missing.key"))).hasMessageContaining("dkim keygen");
    }

    @Test
    void pkcs1RsaKeyIsAccepted() throws Exception {
        var pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(pair.getPrivate());
        }
        assertThat(w.toString()).contains("BEGIN RSA PRIVATE KEY");
        Files.writeString(tmp.resolve("old.key"), w.toString());

        DkimKey loaded = DkimKeys.load(tmp.resolve("old.key"));

        assertThat(loaded.type()).isEqualTo(KeyType.RSA);
        assertThat(loaded.publicKey()).isEqualTo(pair.getPublic());
    }

    /** A key made by opendkim-genkey loads, and our TXT value carries the same public key as its zone stub. */
    @Test
    void keyFromOpendkimGenkeyLoadsAndVerifies() throws Exception {
        Process p = new ProcessBuilder("opendkim-genkey", "--directory=" + tmp, "--domain=example.org",
                "--selector=odk").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("opendkim-genkey (apt-get install -y opendkim-tools): %s", out).isZero();
        Files.move(tmp.resolve("odk.private"), tmp.resolve("odk.key"));
        // The zone stub splits the record into quoted strings; DNS joins them (RFC 6376 §3.6.2.2).
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(Files.readString(tmp.resolve("odk.txt")));
        StringBuilder opendkimTxt = new StringBuilder();
        while (m.find()) {
            opendkimTxt.append(m.group(1));
        }

        DkimKey key = DkimKeys.load(tmp.resolve("odk.key"));

        assertThat(tags(DkimKeys.dnsTxtValue(key)).get("p")).isEqualTo(tags(opendkimTxt.toString()).get("p"));
        PythonDkimVerifier.assertInstalled();
        byte[] signed = new DkimSigner().sign("From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n".getBytes(UTF_8),
                "example.org", key);
        PythonDkimVerifier.Result r = new PythonDkimVerifier(tmp)
                .verify(signed, Map.of("odk._domainkey.example.org", opendkimTxt.toString()));
        assertThat(r.verdicts()).as(r.log()).containsExactly(true);
    }

    @Test
    void txtStringsSplitAt255() throws Exception {
        String value = DkimKeys.dnsTxtValue(DkimKeys.generate(tmp, "rsa", KeyType.RSA));

        List<String> parts = DkimKeys.txtStrings(value);

        assertThat(parts).hasSize(2).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(255));
        assertThat(String.join("", parts)).isEqualTo(value);
        assertThat(DkimKeys.dnsName("rsa", "example.org")).isEqualTo("rsa._domainkey.example.org");
    }

    @Test
    void keyTypeParsesWhatUsersType() {
        assertThat(KeyType.parse("RSA")).isEqualTo(KeyType.RSA);
        assertThat(KeyType.parse(" ed25519 ")).isEqualTo(KeyType.ED25519);
        assertThatThrownBy(() -> KeyType.parse("dsa")).hasMessageContaining("use rsa or ed25519");
    }

    @Test
    void toStringShowsNoKeyMaterial() throws Exception {
        DkimKey key = DkimKeys.generate(tmp, "mail", KeyType.RSA);

        assertThat(key.toString()).isEqualTo("DkimKey[selector=mail, type=RSA]");
    }

    private static void assertPairMatches(DkimKey key) throws Exception {
        String alg = key.type() == KeyType.RSA ? "SHA256withRSA" : "Ed25519";
        byte[] data = "pair check".getBytes(UTF_8);
        Signature s = Signature.getInstance(alg);
        s.initSign(key.privateKey());
        s.update(data);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(alg);
        v.initVerify(key.publicKey());
        v.update(data);
        assertThat(v.verify(sig)).as("public key matches private key").isTrue();
    }

    private static Map<String, String> tags(String txt) {
        return Arrays.stream(txt.split(";"))
                .map(String::trim).filter(t -> !t.isEmpty())
                .map(t -> t.split("=", 2))
                .collect(Collectors.toMap(t -> t[0].trim(), t -> t[1].trim()));
    }

    private static String pem(byte[] der) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n";
    }
}
