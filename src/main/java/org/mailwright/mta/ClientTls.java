package org.mailwright.mta;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The client side of STARTTLS between mail servers. Opportunistic TLS (RFC 7435) encrypts even when the
 * peer's certificate does not verify — most MX certificates would not pass a browser's checks — but the
 * handshake still runs the full check (chain to the system's trust anchors and the MX host name) and
 * reports the verdict, so the maillog says whether the peer was authenticated.
 */
final class ClientTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** The TLS socket over the connection and the verdict on the peer's certificate. */
    record Handshake(SSLSocket socket, boolean verified, String verifyError) {}

    private final X509ExtendedTrustManager system;

    ClientTls() {
        this.system = systemTrust();
    }

    /** Runs the handshake over an established plain connection; IOException when it fails. */
    Handshake handshake(Socket plain, String peerName, int port) throws IOException {
        Verdict verdict = new Verdict(system);
        SSLContext ctx;
        try {
            ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {verdict}, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
        SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(plain, peerName, port, true);
        ssl.setUseClientMode(true);
        SSLParameters params = ssl.getSSLParameters();
        params.setProtocols(PROTOCOLS);
        // The verdict checks the certificate against the MX host name (RFC 7672 §3.2.2 names the same check for DANE).
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (peerName.indexOf(':') < 0 && !peerName.matches("[0-9.]+")) {
            try {
                params.setServerNames(List.of(new SNIHostName(peerName)));
            } catch (IllegalArgumentException ignored) {
                // not a name SNI can carry: the handshake goes without it
            }
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return new Handshake(ssl, verdict.error == null, verdict.error);
    }

    private static X509ExtendedTrustManager systemTrust() {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) return x;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no system trust store: " + e.getMessage(), e);
        }
        throw new IllegalStateException("no X509 trust manager in this Java");
    }

    /** Runs the system's checks and remembers their verdict instead of failing the handshake. */
    private static final class Verdict extends X509ExtendedTrustManager implements X509TrustManager {
        private final X509ExtendedTrustManager system;
        volatile String error;

        Verdict(X509ExtendedTrustManager system) {
            this.system = system;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            try {
                system.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                error = e.getMessage();
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            try {
                system.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                error = e.getMessage();
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            try {
                system.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                error = e.getMessage();
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return system.getAcceptedIssuers();
        }
    }
}
