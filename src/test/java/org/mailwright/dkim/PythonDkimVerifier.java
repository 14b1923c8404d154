package org.mailwright.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real DKIM verifier for tests: Debian's python3-dkim (dkimpy), run by the system
 * interpreter. DNS is answered from a map the test passes, so nothing leaves the machine.
 */
public final class PythonDkimVerifier {

    /**
     * Debian's interpreter, which has python3-dkim; another python3 earlier on PATH may lack it.
     * System property {@code mailwright.test.python} names another one.
     */
    static final String PYTHON = org.mailwright.testing.PythonDkimSigner.PYTHON;

    private static final String SCRIPT = """
            import json, logging, sys
            import dkim

            message = open(sys.argv[1], 'rb').read()
            records = json.load(open(sys.argv[2]))
            logging.basicConfig(stream=sys.stderr, level=logging.DEBUG, format='%(message)s')
            log = logging.getLogger('verify')

            def dnsfunc(name, timeout=5):
                # Answers the TXT query for SELECTOR._domainkey.DOMAIN. from the test's records.
                n = name.decode('ascii') if isinstance(name, bytes) else name
                value = records.get(n.rstrip('.').lower())
                log.debug('TXT %s -> %s', n, value)
                return value.encode('ascii') if value is not None else None

            headers, _ = dkim.rfc822_parse(message)
            count = sum(1 for name, _ in headers if name.lower() == b'dkim-signature')
            results = []
            for idx in range(count):
                d = dkim.DKIM(message, logger=log, minkey=1024)
                try:
                    results.append(bool(d.verify(idx=idx, dnsfunc=dnsfunc)))
                except dkim.DKIMException as e:
                    log.error('signature %d: %s: %s', idx, type(e).__name__, e)
                    results.append(False)
            print(json.dumps(results))
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path script;

    /** One verdict per DKIM-Signature field, top to bottom, with the verifier's log for failure messages. */
    public record Result(List<Boolean> verdicts, String log) {
    }

    public PythonDkimVerifier(Path workDir) throws IOException {
        this.dir = workDir;
        this.script = workDir.resolve("verify_dkim.py");
        Files.writeString(script, SCRIPT);
    }

    /** Fails (not skips) when the verifier is missing: these tests are the proof that signatures verify. */
    public static void assertInstalled() throws Exception {
        Process p = new ProcessBuilder(PYTHON, "-I", "-c", "import dkim, nacl, dns; print(dkim.__file__)")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as("%s must have the dkim module (with nacl for Ed25519) to verify DKIM signatures; "
                        + "install it with: apt-get install -y python3-dkim python3-nacl\n%s", PYTHON, out)
                .isZero();
    }

    /**
     * Verifies every DKIM-Signature in {@code message}; {@code txtRecords} maps
     * {@code selector._domainkey.domain} to its TXT value.
     */
    public Result verify(byte[] message, Map<String, String> txtRecords) throws Exception {
        Path msg = Files.createTempFile(dir, "msg", ".eml");
        Path rec = Files.createTempFile(dir, "txt", ".json");
        Files.write(msg, message);
        JSON.writeValue(rec.toFile(), txtRecords);
        Process p = new ProcessBuilder(PYTHON, "-I", script.toString(), msg.toString(), rec.toString()).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        String out = readAll(p.getInputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python3-dkim verifier did not finish within 60 s");
        }
        String log = err.get(10, TimeUnit.SECONDS);
        if (p.exitValue() != 0) {
            throw new AssertionError("python3-dkim verifier failed (exit " + p.exitValue() + "):\n" + log + out);
        }
        List<Boolean> verdicts = new ArrayList<>();
        for (var node : JSON.readTree(out.trim())) {
            verdicts.add(node.asBoolean());
        }
        return new Result(verdicts, log);
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read: " + e + ")";
        }
    }
}
