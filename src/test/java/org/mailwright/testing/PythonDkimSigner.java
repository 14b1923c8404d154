package org.mailwright.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An independent DKIM signer for tests: Debian's python3-dkim (dkimpy), run by the system interpreter. Signs
 * From, To, Subject, Date and Message-ID and returns the message with its new {@code DKIM-Signature:} on top.
 */
public final class PythonDkimSigner {
    /** Debian's interpreter, which has python3-dkim; system property {@code mailwright.test.python} names another. */
    public static final String PYTHON = System.getProperty("mailwright.test.python", "/usr/bin/python3");

    private static final String SIGN = """
            import base64, sys, dkim
            msg = sys.stdin.buffer.read()
            keyfile, algo, sel, dom, hc, bc, length = sys.argv[1:8]
            key = open(keyfile, 'rb').read().strip() if algo.startswith('rsa') else keyfile.encode()
            sig = dkim.sign(msg, sel.encode(), dom.encode(), key, canonicalize=(hc.encode(), bc.encode()),
                            include_headers=[b'from', b'to', b'subject', b'date', b'message-id'],
                            length=(length == 'yes'), signature_algorithm=algo.encode())
            sys.stdout.buffer.write(sig + msg)
            """;

    private final Path script;

    /** Writes the signing script into {@code dir}. */
    public PythonDkimSigner(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.script = dir.resolve("dkim-sign.py");
        Files.writeString(script, SIGN);
    }

    /**
     * The signed message. {@code key}: an RSA private key file (PEM) for {@code rsa-sha256}, the base64 seed for
     * {@code ed25519-sha256}; {@code hc}/{@code bc}: relaxed or simple; {@code length}: add {@code l=}.
     */
    public String sign(String message, String key, String algo, String selector, String domain, String hc, String bc,
                       boolean length) throws IOException, InterruptedException {
        Peers.Result r = Peers.run(List.of(PYTHON, script.toString(), key, algo, selector, domain, hc, bc, length ? "yes" : "no"),
                message, 60);
        assertThat(r.exit()).as(r.out()).isZero();
        return r.out();
    }

    /** RSA-SHA256, relaxed/relaxed, no {@code l=}: what most signers send. */
    public String sign(String message, Path rsaKey, String selector, String domain) throws IOException, InterruptedException {
        return sign(message, rsaKey.toString(), "rsa-sha256", selector, domain, "relaxed", "relaxed", false);
    }

    /** A new RSA key (openssl genrsa, PKCS#1 PEM as dkimpy reads it) of {@code bits} bits at {@code file}. */
    public static Path rsaKey(Path file, int bits) throws IOException, InterruptedException {
        Peers.Result r = Peers.run(List.of(Peers.require("openssl", "openssl"), "genrsa", "-traditional", "-out", file.toString(),
                String.valueOf(bits)), null, 60);
        assertThat(r.exit()).as(r.out()).isZero();
        return file;
    }
}
