package org.mailwright.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwright.dkim.DkimVerifier.Result;
import org.mailwright.dns.DnsClient;
import org.mailwright.testing.Peers;
import org.mailwright.testing.PythonDkimSigner;
import org.mailwright.testing.TestDns;

/**
 * The verifier against signatures made by an independent signer, Debian's python3-dkim (dkimpy): RSA and Ed25519,
 * simple and relaxed, l=, and the broken cases — a changed body, a changed header, a revoked or missing key, the
 * wrong key, rsa-sha1, a weak key, a DNS that does not answer. Once through a real DNS server (dnsmasq).
 */
class DkimVerifierTest {
    @TempDir static Path dir;
    static Path rsaKey;
    static Path weakKey;
    static String rsaRecord;
    static String weakRecord;
    static String edSeed;
    static String edRecord;

    static final String MESSAGE = "From: Alice <alice@sender.test>\r\nTo: bob@ours.test\r\nSubject: The plan\r\n"
            + "Date: Wed, 02 Dec 2026 21:00:00 +0000\r\nMessage-ID: <1@sender.test>\r\n\r\nMeet at noon.\r\n\r\n\r\n";

    static PythonDkimSigner signer;

    @BeforeAll
    static void keys() throws Exception {
        signer = new PythonDkimSigner(dir);
        rsaKey = PythonDkimSigner.rsaKey(dir.resolve("rsa.pem"), 2048);
        weakKey = PythonDkimSigner.rsaKey(dir.resolve("weak.pem"), 768);
        rsaRecord = DkimKeys.dnsTxtValue(DkimKeys.load(rsaKey));
        weakRecord = DkimKeys.dnsTxtValue(DkimKeys.load(weakKey));
        Peers.Result ed = Peers.run(List.of(PythonDkimVerifier.PYTHON, "-c", """
                import base64, nacl.signing
                k = nacl.signing.SigningKey.generate()
                print(base64.b64encode(bytes(k)).decode(), base64.b64encode(bytes(k.verify_key)).decode())
                """), null, 30);
        assertThat(ed.exit()).as(ed.out()).isZero();
        String[] pair = ed.out().strip().split(" ");
        edSeed = pair[0];
        edRecord = "v=DKIM1; k=ed25519; p=" + pair[1];
    }

    /** python3-dkim's signature over {@code message}: KEY is the RSA PEM file or the Ed25519 seed. */
    static String sign(String message, String algo, String selector, String hc, String bc, boolean length) throws Exception {
        String key = algo.startsWith("rsa") ? (selector.equals("weak") ? weakKey : rsaKey).toString() : edSeed;
        return signer.sign(message, key, algo, selector, "sender.test", hc, bc, length);
    }

    /** The key records as the sender published them. */
    static Map<String, String> published() {
        Map<String, String> m = new HashMap<>();
        m.put("rsa._domainkey.sender.test", rsaRecord);
        m.put("ed._domainkey.sender.test", edRecord);
        m.put("weak._domainkey.sender.test", weakRecord);
        m.put("revoked._domainkey.sender.test", "v=DKIM1; k=rsa; p=");
        return m;
    }

    static List<DkimVerifier.Verdict> verify(String message, Map<String, String> records) {
        return new DkimVerifier(name -> records.containsKey(name) ? List.of(records.get(name)) : List.of())
                .verify(message.getBytes(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest(name = "{0} {1}/{2}")
    @CsvSource({"rsa-sha256, relaxed, relaxed", "rsa-sha256, simple, simple", "rsa-sha256, relaxed, simple",
            "ed25519-sha256, relaxed, relaxed", "ed25519-sha256, simple, simple", "ed25519-sha256, simple, relaxed"})
    void aSignatureOfAnIndependentSignerPasses(String algo, String hc, String bc) throws Exception {
        String selector = algo.startsWith("rsa") ? "rsa" : "ed";
        String signed = sign(MESSAGE, algo, selector, hc, bc, false);
        assertThat(verify(signed, published())).containsExactly(new DkimVerifier.Verdict(Result.PASS, "sender.test", selector, ""));

        // What may change on the way without breaking it: nothing for simple; whitespace for relaxed.
        String refolded = signed.replace("Subject: The plan", "Subject:   The\r\n  plan").replace("Meet at noon.", "Meet  at noon.  ");
        Result expected = hc.equals("relaxed") && bc.equals("relaxed") ? Result.PASS : Result.FAIL;
        assertThat(verify(refolded, published()).get(0).result()).isEqualTo(expected);
    }

    @Test
    void aChangedBodyOrHeaderFails() throws Exception {
        String signed = sign(MESSAGE, "rsa-sha256", "rsa", "relaxed", "relaxed", false);
        DkimVerifier.Verdict body = verify(signed.replace("Meet at noon.", "Meet at midnight."), published()).get(0);
        assertThat(body.result()).isEqualTo(Result.FAIL);
        assertThat(body.reason()).contains("body hash");
        DkimVerifier.Verdict header = verify(signed.replace("Subject: The plan", "Subject: Wire the money"), published()).get(0);
        assertThat(header.result()).isEqualTo(Result.FAIL);
        assertThat(header.reason()).contains("signature did not verify");
        // A From added above the signed one: h= names From once, so the bottom instance is what was signed and
        // still verifies; a message with two From fields is for DMARC to refuse (RFC 7489 §6.6.1).
        DkimVerifier.Verdict added = verify(signed.replace("From: Alice", "From: Mallory <m@evil.test>\r\nFrom: Alice"), published()).get(0);
        assertThat(added.result()).isEqualTo(Result.PASS);
    }

    @Test
    void aBodyLengthThatLeavesTextUnsignedIsNotAPass() throws Exception {
        String signed = sign(MESSAGE, "rsa-sha256", "rsa", "relaxed", "relaxed", true);
        assertThat(signed).contains("l=");
        assertThat(verify(signed, published()).get(0).result()).isEqualTo(Result.PASS);
        DkimVerifier.Verdict appended = verify(signed + "Click here: http://evil.test/\r\n", published()).get(0);
        assertThat(appended.result()).isEqualTo(Result.POLICY);
        assertThat(appended.reason()).contains("only part of the body");
    }

    @Test
    void keysThatCannotVouchForTheMessage() throws Exception {
        Map<String, String> records = published();
        assertThat(verify(sign(MESSAGE, "rsa-sha256", "revoked", "relaxed", "relaxed", false), records).get(0))
                .extracting(DkimVerifier.Verdict::result, DkimVerifier.Verdict::reason).containsExactly(Result.PERMERROR, "the key at revoked._domainkey.sender.test was revoked (empty p=)");
        assertThat(verify(sign(MESSAGE, "rsa-sha256", "missing", "relaxed", "relaxed", false), records).get(0).result()).isEqualTo(Result.PERMERROR);
        assertThat(verify(sign(MESSAGE, "rsa-sha256", "weak", "relaxed", "relaxed", false), records).get(0).reason()).contains("768 bits");
        assertThat(verify(sign(MESSAGE, "rsa-sha1", "rsa", "relaxed", "relaxed", false), records).get(0).reason()).contains("rsa-sha1");
        // Signed with our RSA key, published as somebody else's: the signature does not verify with that key.
        records.put("rsa._domainkey.sender.test", DkimKeys.dnsTxtValue(DkimKeys.generate(dir.resolve("other"), "rsa", KeyType.RSA)));
        assertThat(verify(sign(MESSAGE, "rsa-sha256", "rsa", "relaxed", "relaxed", false), records).get(0).result()).isEqualTo(Result.FAIL);
        // A DNS that does not answer: temperror, so the sender may try again.
        List<DkimVerifier.Verdict> unanswered = new DkimVerifier(name -> {
            throw new DkimVerifier.TemporaryFailure("no answer from 127.0.0.1:53");
        }).verify(sign(MESSAGE, "ed25519-sha256", "ed", "relaxed", "relaxed", false).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(unanswered.get(0).result()).isEqualTo(Result.TEMPERROR);
        assertThat(unanswered.get(0).reason()).contains("no answer from 127.0.0.1:53");
    }

    @Test
    void everySignatureGetsItsVerdictAndOurOwnSignerVerifies() throws Exception {
        String twice = sign(sign(MESSAGE, "ed25519-sha256", "ed", "relaxed", "relaxed", false), "rsa-sha256", "rsa", "simple", "simple", false);
        assertThat(verify(twice, published())).extracting(DkimVerifier.Verdict::result, DkimVerifier.Verdict::selector)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Result.PASS, "rsa"), org.assertj.core.groups.Tuple.tuple(Result.PASS, "ed"));
        assertThat(verify(MESSAGE, published())).isEmpty();

        DkimKey rsa = DkimKeys.generate(dir.resolve("ours"), "ours1", KeyType.RSA);
        DkimKey ed = DkimKeys.generate(dir.resolve("ours"), "ours2", KeyType.ED25519);
        byte[] ours = new DkimSigner().sign(MESSAGE.getBytes(StandardCharsets.US_ASCII), "sender.test", List.of(rsa, ed));
        Map<String, String> records = Map.of("ours1._domainkey.sender.test", DkimKeys.dnsTxtValue(rsa),
                "ours2._domainkey.sender.test", DkimKeys.dnsTxtValue(ed));
        assertThat(verify(new String(ours, StandardCharsets.ISO_8859_1), records)).extracting(DkimVerifier.Verdict::result)
                .containsExactly(Result.PASS, Result.PASS);
    }

    @Test
    void keysComeThroughARealDnsServer() throws Exception {
        TestDns.Zone zone = TestDns.zone().local("sender.test");
        published().forEach(zone::longTxt);
        try (TestDns dns = TestDns.start(dir.resolve("dns"), "127.0.5.31", zone)) {
            DnsClient client = DnsClient.of(dns.resolver());
            DkimVerifier verifier = new DkimVerifier(name -> {
                try {
                    return client.txt(name);
                } catch (DnsClient.LookupFailed e) {
                    throw new DkimVerifier.TemporaryFailure(e.getMessage());
                }
            });
            String signed = sign(MESSAGE, "rsa-sha256", "rsa", "relaxed", "relaxed", false);
            assertThat(verifier.verify(signed.getBytes(StandardCharsets.ISO_8859_1))).extracting(DkimVerifier.Verdict::result).containsExactly(Result.PASS);
            String ed = sign(MESSAGE, "ed25519-sha256", "ed", "relaxed", "relaxed", false);
            assertThat(verifier.verify(ed.getBytes(StandardCharsets.ISO_8859_1))).extracting(DkimVerifier.Verdict::result).containsExactly(Result.PASS);
            assertThat(dns.log()).contains("rsa._domainkey.sender.test").contains("ed._domainkey.sender.test");
        }
    }
}
