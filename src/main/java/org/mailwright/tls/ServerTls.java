package org.mailwright.tls;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The listeners' TLS: TLS 1.2 and 1.3 only, forward-secret AEAD suites only, server's order.
 * The certificate can be swapped while listeners run ({@link #reload()}): new handshakes use the new one.
 */
public final class ServerTls {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    static {
        // A client may not start a renegotiation (a cheap way to make the server do expensive work). JSSE reads this
        // once, at the first server handshake; every server handshake in the engine goes through this class.
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private final Path certFile;
    private final Path keyFile;
    private final AtomicReference<SSLContext> context = new AtomicReference<>();
    private volatile X509Certificate leaf;
    private volatile String loadedStamp = "";

    /** Loads the pair, first finishing a certificate switch that a crash interrupted ({@link CertificateFiles}). */
    public ServerTls(Path certFile, Path keyFile) throws IOException {
        this.certFile = certFile;
        this.keyFile = keyFile;
        new CertificateFiles(certFile, keyFile).recover();
        reload();
    }

    /**
     * Reads the certificate files again; running listeners use the new certificate for new connections.
     * A pair that does not fit together (key of another certificate) is refused and the old one stays in use.
     */
    public synchronized void reload() throws IOException {
        String stamp = stamp();
        List<X509Certificate> chain = Pem.readCertificates(certFile);
        PrivateKey key = Pem.readPrivateKey(keyFile);
        if (!CertificateImport.keyMatches(key, chain.get(0).getPublicKey())) {
            throw new IOException(keyFile + " is not the private key of the certificate in " + certFile
                    + " — put the matching pair in place (`mailwright tls import --cert F --key F`)");
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, new char[0], chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            context.set(ctx);
            leaf = chain.get(0);
            loadedStamp = stamp;
        } catch (GeneralSecurityException e) {
            throw new IOException(certFile + " and " + keyFile + " do not make a usable TLS key: " + e.getMessage()
                    + " — check that the key belongs to the certificate", e);
        }
    }

    /**
     * Reloads when either file changed on disk since the last load (a `tls acme` or `tls import` run beside a
     * running engine). Returns true when a new certificate is in use.
     */
    public synchronized boolean reloadIfChanged() throws IOException {
        if (stamp().equals(loadedStamp)) return false;
        X509Certificate before = leaf;
        reload();
        return !leaf.equals(before);
    }

    /** Modification time and size of both files: cheap to poll every few seconds. */
    private String stamp() throws IOException {
        return Files.getLastModifiedTime(certFile).toMillis() + "/" + Files.size(certFile) + "/"
                + Files.getLastModifiedTime(keyFile).toMillis() + "/" + Files.size(keyFile);
    }

    public Path certFile() {
        return certFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    public X509Certificate certificate() {
        return leaf;
    }

    public SSLContext context() {
        return context.get();
    }

    /** Wraps an accepted plain socket for STARTTLS (server side). */
    public SSLSocket wrap(Socket plain) throws IOException {
        SSLSocket s = (SSLSocket) context.get().getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        s.setUseClientMode(false);
        s.setSSLParameters(parameters(s.getSupportedCipherSuites()));
        return s;
    }

    /** A server socket whose accepted connections speak TLS from the first byte (port 465). */
    public ServerSocket implicitTlsServerSocket() throws IOException {
        return new ServerSocket() {
            @Override
            public Socket accept() throws IOException {
                Socket plain = super.accept();
                try {
                    return wrap(plain);
                } catch (IOException e) {
                    plain.close();
                    throw e;
                }
            }
        };
    }

    static SSLParameters parameters(String[] supportedSuites) {
        SSLParameters p = new SSLParameters();
        p.setProtocols(PROTOCOLS);
        p.setCipherSuites(modernSuites(supportedSuites));
        p.setUseCipherSuitesOrder(true);
        return p;
    }

    /** TLS 1.3 suites plus TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305 (Mozilla's "intermediate" list). */
    static String[] modernSuites(String[] supported) {
        List<String> preferred = List.of(
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        List<String> have = Arrays.asList(supported);
        return preferred.stream().filter(have::contains).toArray(String[]::new);
    }
}
