package org.mailwright.dkim;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Signs with DkimSigner and verifies with the real verifier, python3-dkim. */
class DkimSignerTest {

    private static final String DOMAIN = "example.org";

    @TempDir
    static Path tmp;

    private static DkimKey rsa;
    private static DkimKey ed25519;
    private static Map<String, String> dns;
    private static PythonDkimVerifier verifier;

    private final DkimSigner signer = new DkimSigner();

    @BeforeAll
    static void keysAndVerifier() throws Exception {
        PythonDkimVerifier.assertInstalled();
        Path dkimDir = tmp.resolve("dkim");
        DkimKeys.generate(dkimDir, "rsa2025", KeyType.RSA);
        DkimKeys.generate(dkimDir, "ed2025", KeyType.ED25519);
        // Sign with keys as the engine will: read back from their files.
        rsa = DkimKeys.load(dkimDir.resolve("rsa2025.key"));
        ed25519 = DkimKeys.load(dkimDir.resolve("ed2025.key"));
        dns = Map.of(
                DkimKeys.dnsName("rsa2025", DOMAIN), DkimKeys.dnsTxtValue(rsa),
                DkimKeys.dnsName("ed2025", DOMAIN), DkimKeys.dnsTxtValue(ed25519));
        verifier = new PythonDkimVerifier(tmp);
    }

    /** Fails, never skips, without the verifier: the tests below are the proof that signatures verify. */
    @Test
    void realVerifierIsInstalled() throws Exception {
        PythonDkimVerifier.assertInstalled();
    }

    private static DkimKey key(KeyType type) {
        return type == KeyType.RSA ? rsa : ed25519;
    }

    private static final String HEADERS = "From: Alice Example <alice@example.org>\r\n"
            + "To: Bob <bob@example.net>\r\n"
            + "Subject: Lunch on Friday?\r\n"
            + "Date: Fri, 14 Nov 2025 10:00:00 +0000\r\n"
            + "Message-ID: <20251114100000.1@example.org>\r\n";

    static Stream<Arguments> messages() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("plain text", HEADERS + "\r\nHi Bob,\r\n\r\nlunch on Friday?\r\n\r\nAlice\r\n"));
        cases.add(Arguments.of("folded headers", "From: Alice Example\r\n <alice@example.org>\r\n"
                + "To: Bob <bob@example.net>,\r\n\tCarol <carol@example.net>,\r\n   Dave <dave@example.net>\r\n"
                + "SUBJECT: a subject that is long enough\r\n\tto be folded over\r\n two lines\r\n"
                + "Date: Fri, 14 Nov 2025 10:00:00 +0000\r\n"
                + "Message-ID: <folded@example.org>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain;\r\n charset=us-ascii;\r\n format=flowed\r\n"
                + "\r\nBody.\r\n"));
        cases.add(Arguments.of("trailing blank lines in body", HEADERS + "\r\nHi.\r\n\r\n\r\n\r\n \r\n\t\r\n"));
        cases.add(Arguments.of("whitespace runs", "From:   Alice   <alice@example.org>  \r\n"
                + "To:\tBob\t\t<bob@example.net>\r\n"
                + "Subject:    many     spaces  \t here   \r\n"
                + "\r\n"
                + "  leading spaces\r\n"
                + "inner \t\t  runs   of\t white space\r\n"
                + "trailing white space \t \r\n"
                + "\t\r\n"
                + "end\r\n"));
        cases.add(Arguments.of("body without trailing CRLF", HEADERS + "\r\nfirst line\r\nlast line, no newline"));
        cases.add(Arguments.of("8bit UTF-8 body", HEADERS
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\nGrüße aus Köln — 日本語のテキスト 🙂\r\nÇa va ?  \r\n"));
        cases.add(Arguments.of("UTF-8 in headers (RFC 6532)", "From: Jürgen Müller <juergen@example.org>\r\n"
                + "To: Zoë <zoe@example.net>\r\nSubject: Привет, мир\r\n\r\nTschüss\r\n"));
        cases.add(Arguments.of("empty body", HEADERS + "\r\n"));
        cases.add(Arguments.of("header section only, no empty line", HEADERS));
        cases.add(Arguments.of("repeated header fields", "Received: from a\r\nTo: first@example.net\r\n"
                + "From: Alice <alice@example.org>\r\nSubject: one\r\nTo: second@example.net\r\nSubject: two\r\n"
                + "X-Unsigned: yes\r\n\r\nbody\r\n"));
        cases.add(Arguments.of("all signable headers", HEADERS
                + "Cc: carol@example.net\r\nReply-To: list@example.org\r\nIn-Reply-To: <a@example.net>\r\n"
                + "References: <a@example.net>\r\n <b@example.net>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
                + "List-Id: Tilde chat <chat.example.org>\r\n"
                + "List-Unsubscribe: <mailto:chat-unsubscribe@example.org>\r\n\r\nbody =C3=A9\r\n"));
        cases.add(Arguments.of("2 KB multi-line body", HEADERS + "\r\n" + "The quick brown fox jumps over the lazy dog.\r\n".repeat(45)));
        List<Arguments> all = new ArrayList<>();
        for (KeyType type : KeyType.values()) {
            for (Arguments c : cases) {
                all.add(Arguments.of(type, c.get()[0], c.get()[1]));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("messages")
    void realVerifierAcceptsTheSignature(KeyType type, String name, String message) throws Exception {
        byte[] signed = signer.sign(message.getBytes(UTF_8), DOMAIN, List.of(key(type)));

        PythonDkimVerifier.Result r = verifier.verify(signed, dns);

        assertThat(r.verdicts()).as("python3-dkim verdict for '%s' (%s):%n%s%n%s", name, type,
                new String(signed, UTF_8), r.log()).containsExactly(true);
        assertThat(new String(signed, UTF_8)).endsWith(message).contains("a=" + type.algorithmTag() + ";");
    }

    @Test
    void signsOncePerKeyAndEverySignatureVerifies() throws Exception {
        byte[] signed = signer.sign(HEADERS.concat("\r\nHello\r\n").getBytes(UTF_8), DOMAIN, List.of(rsa, ed25519));

        String text = new String(signed, UTF_8);
        assertThat(text).startsWith("DKIM-Signature: v=1; a=rsa-sha256;");
        assertThat(text.split("\r\n(?=DKIM-Signature:)", -1)).hasSize(2);
        PythonDkimVerifier.Result r = verifier.verify(signed, dns);
        assertThat(r.verdicts()).as(r.log()).containsExactly(true, true);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void tamperedBodyFailsVerification(KeyType type) throws Exception {
        byte[] signed = signer.sign((HEADERS + "\r\nPay 10 EUR to Bob.\r\n").getBytes(UTF_8), DOMAIN, key(type));
        assertThat(verifier.verify(signed, dns).verdicts()).containsExactly(true); // the untouched control

        byte[] tampered = new String(signed, UTF_8).replace("10 EUR", "90 EUR").getBytes(UTF_8);

        PythonDkimVerifier.Result r = verifier.verify(tampered, dns);
        assertThat(r.verdicts()).containsExactly(false);
        assertThat(r.log()).contains("body hash mismatch");
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void tamperedSignedHeaderFailsVerification(KeyType type) throws Exception {
        byte[] signed = signer.sign((HEADERS + "\r\nbody\r\n").getBytes(UTF_8), DOMAIN, key(type));

        byte[] tampered = new String(signed, UTF_8).replace("Lunch on Friday?", "Dinner on Friday?").getBytes(UTF_8);

        assertThat(verifier.verify(tampered, dns).verdicts()).containsExactly(false);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void wrongPublicKeyInDnsFailsVerification(KeyType type) throws Exception {
        byte[] signed = signer.sign((HEADERS + "\r\nbody\r\n").getBytes(UTF_8), DOMAIN, key(type));
        DkimKey other = DkimKeys.generate(tmp.resolve("other-" + type), key(type).selector(), type);

        Map<String, String> wrong = Map.of(DkimKeys.dnsName(key(type).selector(), DOMAIN), DkimKeys.dnsTxtValue(other));

        assertThat(verifier.verify(signed, wrong).verdicts()).containsExactly(false);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void relaxedCanonicalizationSurvivesRewhitespacing(KeyType type) throws Exception {
        byte[] signed = signer.sign((HEADERS + "\r\nsome words here\r\n").getBytes(UTF_8), DOMAIN, key(type));

        // What relays may do: refold a header, change WSP runs, add trailing WSP and empty lines.
        String changed = new String(signed, UTF_8)
                .replace("Subject: Lunch on Friday?", "Subject:   Lunch\r\n\ton   Friday?  ")
                .replace("some words here\r\n", "some \t words   here   \r\n\r\n\r\n");

        assertThat(verifier.verify(changed.getBytes(UTF_8), dns).verdicts()).containsExactly(true);
    }

    @Test
    void bareLineFeedsAreSignedAsCrlf() throws Exception {
        String lf = HEADERS.replace("\r\n", "\n") + "\nline one\nline two\n";

        byte[] signed = signer.sign(lf.getBytes(UTF_8), DOMAIN, ed25519);

        assertThat(new String(signed, UTF_8)).doesNotContainPattern("[^\r]\n").endsWith("line one\r\nline two\r\n");
        assertThat(verifier.verify(signed, dns).verdicts()).containsExactly(true);
    }

    @Test
    void headerTagsAreAsSpecified() {
        Clock fixed = Clock.fixed(Instant.ofEpochSecond(1_763_000_000L), ZoneOffset.UTC);
        String message = "Received: by relay\r\nX-Mailer: test\r\nSubject: s\r\nFrom: a@example.org\r\n"
                + "To: b@example.net\r\nDate: Fri, 14 Nov 2025 10:00:00 +0000\r\n\r\nbody\r\n";

        String header = firstHeader(new DkimSigner(fixed).sign(message.getBytes(UTF_8), "Example.ORG", rsa));

        Map<String, String> tags = tags(header);
        assertThat(tags).containsEntry("v", "1").containsEntry("a", "rsa-sha256")
                .containsEntry("c", "relaxed/relaxed").containsEntry("d", "example.org")
                .containsEntry("s", "rsa2025").containsEntry("t", "1763000000")
                .containsEntry("h", "from:to:subject:date");
        // bh of the relaxed body "body\r\n", computed independently
        assertThat(tags.get("bh")).isEqualTo(java.util.Base64.getEncoder().encodeToString(sha256("body\r\n")));
        assertThat(java.util.Base64.getDecoder().decode(tags.get("b"))).hasSize(256); // RSA 2048
    }

    @Test
    void ed25519SignatureIs64Bytes() {
        String header = firstHeader(signer.sign((HEADERS + "\r\nx\r\n").getBytes(UTF_8), DOMAIN, ed25519));

        assertThat(tags(header)).containsEntry("a", "ed25519-sha256");
        assertThat(java.util.Base64.getDecoder().decode(tags(header).get("b"))).hasSize(64);
    }

    /** RFC 8463 §3: Ed25519 signs the SHA-256 hash of the header data; Ed25519 is deterministic. */
    @Test
    void ed25519SignsTheSha256OfTheHeaderDataLikeTheJdk() throws Exception {
        byte[] data = "from:a@example.org\r\ndkim-signature:v=1; a=ed25519-sha256; b=".getBytes(UTF_8);

        byte[] ours = DkimSigner.signData(ed25519, data, 0, data.length);

        java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
        jdk.initSign(ed25519.privateKey());
        jdk.update(sha256(new String(data, UTF_8)));
        assertThat(ours).isEqualTo(jdk.sign());
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void signatureHeaderLinesStayUnder78Characters(KeyType type) {
        // Every signable header present, so that h= is long and must fold too.
        String message = messages().filter(a -> a.get()[0] == type && a.get()[1].equals("all signable headers"))
                .map(a -> (String) a.get()[2]).findFirst().orElseThrow();

        String header = firstHeader(signer.sign(message.getBytes(UTF_8), DOMAIN, key(type)));

        for (String line : header.split("\r\n")) {
            assertThat(line.length()).as("line '%s'", line).isLessThan(78);
        }
        assertThat(header.split("\r\n")).allSatisfy(l -> assertThat(l).doesNotEndWith(" ").doesNotEndWith("\t"));
        assertThat(tags(header).get("h")).isEqualTo(String.join(":", DkimSigner.SIGNED_HEADERS));
    }

    @Test
    void messageWithoutFromIsRefused() {
        byte[] message = "To: b@example.net\r\nSubject: no sender\r\n\r\nbody\r\n".getBytes(UTF_8);

        assertThatThrownBy(() -> signer.sign(message, DOMAIN, rsa))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("From:");
    }

    @Test
    void malformedDomainIsRefused() {
        byte[] message = (HEADERS + "\r\nbody\r\n").getBytes(UTF_8);

        assertThatThrownBy(() -> signer.sign(message, "example.org; s=evil", rsa))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signing domain");
    }

    @Test
    void noKeysLeavesTheMessageUnsigned() {
        byte[] message = (HEADERS + "\r\nbody\r\n").getBytes(UTF_8);

        assertThat(signer.sign(message, DOMAIN, List.of())).isEqualTo(message);
    }

    private static String firstHeader(byte[] signed) {
        String text = new String(signed, UTF_8);
        assertThat(text).startsWith("DKIM-Signature:");
        Matcher m = Pattern.compile("\r\n(?![ \t])").matcher(text);
        assertThat(m.find()).isTrue();
        return text.substring(0, m.start());
    }

    /** The tag=value pairs of a DKIM-Signature field, with folding whitespace removed. */
    private static Map<String, String> tags(String header) {
        String value = header.substring(header.indexOf(':') + 1).replaceAll("[ \t\r\n]+", "");
        return Arrays.stream(value.split(";"))
                .map(t -> t.split("=", 2))
                .collect(java.util.stream.Collectors.toMap(t -> t[0], t -> t[1]));
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
