package org.mailwright.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/**
 * testssl.sh (Debian package {@code testssl.sh}) against the submission port's STARTTLS, as an auditor would run it.
 * Restricted to what decides the verdict in reasonable time: protocols ({@code -p}), cipher categories
 * ({@code -s}: NULL, anonymous, export, LOW, 3DES, obsolete CBC, AEAD), Heartbleed, CCS injection and
 * renegotiation ({@code -H -I -R}). The other checks of {@code -U} (POODLE, SWEET32, FREAK, DROWN, LOGJAM, BEAST,
 * LUCKY13, RC4) test protocols and ciphers that {@code -p -s} already show are not offered; a full {@code -U} run
 * took over three minutes here.
 */
class TestsslTest {
    static final String ADDRESS = "127.0.4.10";

    @TempDir
    Path tmp;

    @Test
    void submissionOffersTls12And13OnlyWithNoHighOrCriticalFinding() throws Exception {
        String testssl = Peers.require("testssl", "testssl.sh");
        TestData d = new TestData(tmp.resolve("data"), "mail.testssl.test", "testssl.test", ADDRESS);
        Path json = tmp.resolve("testssl.json");
        try (Engine engine = Engine.start(d.dir)) {
            long start = System.nanoTime();
            Peers.Result r = Peers.run(List.of(testssl, "--starttls", "smtp", "--quiet", "--color", "0", "--warnings", "off",
                    "--nodns", "none", "--connect-timeout", "10", "--openssl-timeout", "10",
                    "-p", "-s", "-H", "-I", "-R", "--jsonfile", json.toString(), ADDRESS + ":" + d.submission), null, 900);
            System.out.printf("testssl took %d s%n", (System.nanoTime() - start) / 1_000_000_000L);
            JsonNode findings = new ObjectMapper().readTree(json.toFile());
            assertThat(findings.isArray()).as(r.out()).isTrue();
            Map<String, String> byId = new java.util.HashMap<>();
            List<String> bad = new ArrayList<>();
            for (JsonNode f : findings) {
                String id = f.path("id").asText();
                String severity = f.path("severity").asText();
                byId.put(id, f.path("finding").asText());
                if (severity.equals("HIGH") || severity.equals("CRITICAL")) bad.add(id + " " + severity + ": " + f.path("finding").asText());
            }
            assertThat(bad).as(r.out()).isEmpty();
            for (String old : List.of("SSLv2", "SSLv3", "TLS1", "TLS1_1")) {
                assertThat(byId.get(old)).as(old + "\n" + r.out()).isEqualTo("not offered");
            }
            assertThat(byId.get("TLS1_2")).isEqualTo("offered");
            assertThat(byId.get("TLS1_3")).startsWith("offered");
            assertThat(byId.get("cipherlist_NULL")).isEqualTo("not offered");
            assertThat(byId.get("cipherlist_EXPORT")).isEqualTo("not offered");
            assertThat(byId.get("cipherlist_3DES_IDEA")).isEqualTo("not offered");
            assertThat(byId.get("cipherlist_AVERAGE")).as("obsolete CBC suites").isEqualTo("not offered");
            assertThat(byId.get("cipherlist_LOW")).isEqualTo("not offered");
            assertThat(byId.get("secure_client_renego")).isEqualTo("not vulnerable");
            assertThat(byId.get("heartbleed")).startsWith("not vulnerable");
        }
    }
}
