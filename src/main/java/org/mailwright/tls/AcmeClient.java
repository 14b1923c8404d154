package org.mailwright.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.mailwright.io.DurableFiles;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUserActionRequiredException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * Obtains a certificate over ACME (RFC 8555) with the HTTP-01 challenge, answered by Mailwright's own
 * {@link ChallengeResponder} — acme-client and httpd of the OpenBSD recipe in one step. Every way it can fail
 * ends in an {@link AcmeFailure} whose message says what happened and what to do; nothing is written here
 * except the account key, so a failure leaves the certificate in use as it was.
 */
public final class AcmeClient {
    /** How long the CA may take to validate a challenge or to issue. */
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    private static final Pattern IP_IN_TEXT = Pattern.compile(
            "(?<![\\d.])((?:\\d{1,3}\\.){3}\\d{1,3})(?![\\d.])|\\[([0-9a-fA-F:]+)]");

    /** How CAs say that a name did not resolve: Boulder "DNS problem: NXDOMAIN …", Pebble "could not resolve URL". */
    private static final Pattern DNS_FAILURE = Pattern.compile(
            "(?i)DNS problem|NXDOMAIN|could not resolve|no such host|no valid A records|SERVFAIL");

    /** What to order, where, and how the CA reaches us. */
    public record Request(String directory, String email, List<String> names, int httpPort, List<String> bindAddresses,
                          Optional<Path> trust, String publicIp) {
        public Request {
            names = List.copyOf(names);
            bindAddresses = List.copyOf(bindAddresses);
        }
    }

    /** The new certificate chain (leaf first) and its fresh private key. */
    public record Issued(List<X509Certificate> chain, PrivateKey key) {}

    static {
        // acme4j's key and CSR helpers name the "BC" provider; appended last, it changes no default of the JDK.
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) Security.addProvider(new BouncyCastleProvider());
    }

    private final Path accountKeyFile;
    private final Consumer<String> progress;

    /** {@code progress} hears each step in words (the CLI prints them). */
    public AcmeClient(Path accountKeyFile, Consumer<String> progress) {
        this.accountKeyFile = accountKeyFile;
        this.progress = progress;
    }

    /** {@code letsencrypt}, {@code letsencrypt-staging}, {@code acme://…} or an https URL of an ACME directory. */
    public static URI directoryUri(String directory) throws AcmeFailure {
        String d = directory.trim();
        switch (d) {
            case "", "letsencrypt" -> { return URI.create("acme://letsencrypt.org"); }
            case "letsencrypt-staging" -> { return URI.create("acme://letsencrypt.org/staging"); }
            default -> {
                if (d.startsWith("https://") || d.startsWith("acme://")) {
                    try {
                        return new URI(d);
                    } catch (java.net.URISyntaxException e) {
                        throw new AcmeFailure(AcmeFailure.Reason.LOCAL, "the ACME directory \"" + d + "\" is not a valid URL — "
                                + "use letsencrypt, letsencrypt-staging or https://…/directory");
                    }
                }
                throw new AcmeFailure(AcmeFailure.Reason.LOCAL, "the ACME directory \"" + d + "\" is not known — "
                        + "use letsencrypt, letsencrypt-staging or the https URL of an ACME directory (ACME needs https)");
            }
        }
    }

    /** Runs one order from account to certificate. */
    public Issued obtain(Request r) throws AcmeFailure, InterruptedException {
        URI uri = directoryUri(r.directory());
        Session session = session(uri, r.trust());
        String server = uri.toString();
        progress.accept("Contacting the ACME server " + server);
        try {
            session.getMetadata(); // reach the server first, so "server down" is told apart from everything later
        } catch (AcmeException | RuntimeException e) {
            throw serverProblem(e, server, r);
        }

        KeyPair accountKey = accountKey();
        Login login;
        try {
            AccountBuilder account = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey);
            if (!r.email().isBlank()) account.addEmail(r.email());
            login = account.createLogin(session);
            updateEmail(login, r.email());
        } catch (IllegalArgumentException e) {
            throw new AcmeFailure(AcmeFailure.Reason.EMAIL_REFUSED, "the account email \"" + r.email()
                    + "\" is not a usable address (" + e.getMessage() + ") — give a working address with --email");
        } catch (AcmeException | RuntimeException e) {
            throw serverProblem(e, server, r);
        }

        progress.accept("Ordering a certificate for " + String.join(", ", r.names()));
        try (ChallengeResponder responder = startResponder(r)) {
            Order order = login.newOrder().domains(r.names()).create();
            for (Authorization auth : order.getAuthorizations()) {
                String name = auth.getIdentifier().getDomain();
                if (auth.getStatus() == Status.VALID) {
                    progress.accept(name + " was validated recently; the CA reuses that");
                    continue;
                }
                Http01Challenge challenge = auth.findChallenge(Http01Challenge.class).orElseThrow(() ->
                        new AcmeFailure(AcmeFailure.Reason.REFUSED, "the CA offers no HTTP-01 challenge for " + name
                                + " — Mailwright answers HTTP-01 only; use another CA, or get a certificate elsewhere and `tls import` it"));
                responder.answer(challenge.getToken(), challenge.getAuthorization());
                progress.accept("Answering the HTTP-01 challenge for " + name + " on port " + r.httpPort());
                challenge.trigger();
                Status status;
                try {
                    status = challenge.waitForCompletion(TIMEOUT);
                } catch (AcmeException e) {
                    if (!"Timeout has been reached".equals(e.getMessage())) throw e;
                    throw new AcmeFailure(AcmeFailure.Reason.CHALLENGE_UNREACHABLE, "the CA did not finish checking " + name
                            + " within " + TIMEOUT.toMinutes() + " minutes — check that port 80 reaches this host, then try again");
                }
                if (status != Status.VALID) {
                    throw challengeProblem(name, challenge.getError().orElse(null), responder.served(), r);
                }
                responder.forget(challenge.getToken());
            }
            Status ready = order.waitUntilReady(TIMEOUT);
            if (ready != Status.READY && ready != Status.VALID) {
                throw orderProblem(order, "was not ready to issue");
            }
            progress.accept("Validated; sending a certificate request with a fresh key");
            KeyPair domainKey = KeyPairUtils.createECKeyPair("secp256r1");
            order.execute(domainKey);
            Status done = order.waitForCompletion(TIMEOUT);
            if (done != Status.VALID) {
                throw orderProblem(order, "was not issued");
            }
            List<X509Certificate> chain = order.getCertificate().getCertificateChain();
            return new Issued(chain, domainKey.getPrivate());
        } catch (AcmeFailure e) {
            throw e;
        } catch (AcmeException | RuntimeException e) {
            throw serverProblem(e, server, r);
        } catch (IOException e) {
            throw new AcmeFailure(AcmeFailure.Reason.LOCAL, e.getMessage(), e);
        }
    }

    /** An existing account keeps the contact it was made with; a new --email replaces it (RFC 8555 §7.3.2). */
    private void updateEmail(Login login, String email) throws AcmeException {
        if (email.isBlank()) return;
        URI wanted = URI.create(email.startsWith("mailto:") ? email : "mailto:" + email);
        var account = login.getAccount();
        if (account.getContacts().equals(List.of(wanted))) return;
        var edit = account.modify();
        edit.getContacts().clear();
        edit.addContact(wanted);
        edit.commit();
        progress.accept("Changed the account's contact to " + email);
    }

    private static ChallengeResponder startResponder(Request r) throws AcmeFailure {
        try {
            return ChallengeResponder.start(r.bindAddresses(), r.httpPort());
        } catch (IOException e) {
            throw new AcmeFailure(AcmeFailure.Reason.LOCAL, e.getMessage(), e);
        }
    }

    /** The account key in DATA/tls/acme-account.pem (0600): made once, reused for every order and renewal. */
    KeyPair accountKey() throws AcmeFailure {
        try {
            if (Files.exists(accountKeyFile)) {
                try (StringReader in = new StringReader(Files.readString(accountKeyFile, StandardCharsets.US_ASCII))) {
                    return KeyPairUtils.readKeyPair(in);
                }
            }
            KeyPair kp = KeyPairUtils.createECKeyPair("secp256r1");
            StringWriter pem = new StringWriter();
            KeyPairUtils.writeKeyPair(kp, pem);
            DurableFiles.write(accountKeyFile, pem.toString(), true);
            progress.accept("Created the ACME account key " + accountKeyFile);
            return kp;
        } catch (IOException | RuntimeException e) {
            throw new AcmeFailure(AcmeFailure.Reason.LOCAL, "cannot read or create the ACME account key " + accountKeyFile
                    + ": " + e.getMessage() + " — check the file (delete it to start a new account)", e);
        }
    }

    /** A session; with {@code trust}, the ACME server's HTTPS certificate may also chain to those CAs. */
    static Session session(URI uri, Optional<Path> trust) throws AcmeFailure {
        Session plain;
        try {
            plain = new Session(uri);
        } catch (IllegalArgumentException e) {
            throw new AcmeFailure(AcmeFailure.Reason.LOCAL, "no ACME provider knows " + uri
                    + " — use letsencrypt, letsencrypt-staging or the https URL of an ACME directory");
        }
        if (trust.isEmpty()) return plain;
        URL directoryUrl = plain.provider().resolve(uri);
        SSLContext ssl = trustContext(trust.get());
        GenericAcmeProvider trusting = new GenericAcmeProvider() {
            @Override
            protected HttpConnector createHttpConnector(NetworkSettings settings) {
                return new HttpConnector(settings) {
                    @Override
                    public HttpClient.Builder createClientBuilder() {
                        return super.createClientBuilder().sslContext(ssl);
                    }
                };
            }
        };
        return new Session(URI.create(directoryUrl.toExternalForm()), trusting);
    }

    /** The system's CAs plus those in {@code pem}. */
    static SSLContext trustContext(Path pem) throws AcmeFailure {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            int i = 0;
            for (var tm : system.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate ca : x.getAcceptedIssuers()) store.setCertificateEntry("system-" + i++, ca);
                }
            }
            for (X509Certificate ca : Pem.readCertificates(pem)) store.setCertificateEntry("trusted-" + i++, ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new AcmeFailure(AcmeFailure.Reason.LOCAL, "cannot read the CA to trust: " + e.getMessage()
                    + " — pass a PEM file with -----BEGIN CERTIFICATE----- to --trust", e);
        } catch (GeneralSecurityException e) {
            throw new AcmeFailure(AcmeFailure.Reason.LOCAL, "cannot use " + pem + " as a trusted CA: " + e.getMessage(), e);
        }
    }

    /** An error talking to the ACME server itself: down, untrusted, or a refusal in its own words. */
    static AcmeFailure serverProblem(Exception e, String server, Request r) {
        if (e instanceof AcmeRateLimitedException rl) {
            String until = rl.getRetryAfter().map(t -> "; try again after " + t).orElse("; try again later");
            String docs = rl.getDocuments().isEmpty() ? "" : " (see " + rl.getDocuments().iterator().next() + ")";
            return new AcmeFailure(AcmeFailure.Reason.RATE_LIMITED, "the CA is rate limiting this host: "
                    + detail(rl.getProblem()) + until + docs
                    + " — use --directory letsencrypt-staging for tests", e);
        }
        if (e instanceof AcmeUserActionRequiredException ua) {
            return new AcmeFailure(AcmeFailure.Reason.REFUSED, "the CA asks for an action first: "
                    + detail(ua.getProblem()) + " — open " + ua.getInstance()
                    + ua.getTermsOfServiceUri().map(t -> " (terms of service: " + t + ")").orElse(""), e);
        }
        if (e instanceof AcmeServerException se) {
            String type = problemType(se.getProblem());
            if (type.equals("invalidContact") || type.equals("unsupportedContact")) {
                return new AcmeFailure(AcmeFailure.Reason.EMAIL_REFUSED, "the CA refused the account email \"" + r.email()
                        + "\": " + detail(se.getProblem()) + " — give a working address you read with --email", e);
            }
            if (type.equals("rejectedIdentifier")) {
                return new AcmeFailure(AcmeFailure.Reason.REFUSED, "the CA will not issue a certificate for "
                        + String.join(", ", r.names()) + ": " + detail(se.getProblem())
                        + " — check the hostname (a public name under a real domain) and extra_names", e);
            }
            return new AcmeFailure(AcmeFailure.Reason.REFUSED, "the ACME server refused: " + detail(se.getProblem())
                    + " (" + type + ") — fix what it names and try again", e);
        }
        if (e instanceof AcmeNetworkException) {
            Throwable cause = rootCause(e);
            if (cause instanceof SSLException) {
                return new AcmeFailure(AcmeFailure.Reason.SERVER_UNTRUSTED, "the ACME server " + server
                        + " presented an HTTPS certificate this host does not trust (" + cause.getMessage()
                        + ") — for a test CA pass its certificate with --trust CA.pem; otherwise check the URL", e);
            }
            if (cause instanceof UnknownHostException) {
                return new AcmeFailure(AcmeFailure.Reason.SERVER_UNREACHABLE, "the ACME server's name in " + server
                        + " does not resolve (" + cause.getMessage() + ") — check --directory and this host's DNS", e);
            }
            String why = cause instanceof ConnectException ? "connection refused"
                    : cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException ? "no answer in time"
                    : String.valueOf(cause.getMessage());
            return new AcmeFailure(AcmeFailure.Reason.SERVER_UNREACHABLE, "the ACME server " + server
                    + " is not reachable (" + why + ") — it may be down, or the URL or this host's network is wrong;"
                    + " try again later", e);
        }
        return new AcmeFailure(AcmeFailure.Reason.REFUSED, "the ACME exchange with " + server + " failed: "
                + e.getMessage() + " — try again later; if it persists, check --directory", e);
    }

    /** The CA tried to fetch our challenge answer and could not (RFC 8555 §8.3, §6.7 error types). */
    static AcmeFailure challengeProblem(String name, Problem problem, int served, Request r) {
        String detail = problem == null ? "no reason given" : detail(problem);
        String type = problem == null ? "" : problemType(problem);
        String url = "http://" + name + "/.well-known/acme-challenge/";
        Optional<String> ip = ipIn(detail);
        if (type.equals("dns") || DNS_FAILURE.matcher(detail).find()) {
            return new AcmeFailure(AcmeFailure.Reason.NAME_UNRESOLVED, "the name " + name + " does not resolve for the CA ("
                    + detail + ") — add an A record for " + name
                    + (r.publicIp().isBlank() ? " pointing at this host's public IP" : " pointing at " + r.publicIp())
                    + " and wait until it is visible, then try again");
        }
        if (ip.isPresent() && !r.publicIp().isBlank() && !ip.get().equals(r.publicIp())
                && (type.equals("connection") || type.equals("unauthorized") || type.equals("incorrectResponse"))) {
            return new AcmeFailure(AcmeFailure.Reason.NAME_ELSEWHERE, "the name " + name + " resolves to " + ip.get()
                    + ", not to this host (" + r.publicIp() + "): the CA asked that address and failed (" + detail
                    + ") — point the A record for " + name + " at " + r.publicIp() + ", or fix ip in mailwright.conf");
        }
        if (type.equals("connection")) {
            return new AcmeFailure(AcmeFailure.Reason.CHALLENGE_UNREACHABLE, "the CA could not reach " + url
                    + (ip.map(a -> " at " + a).orElse("")) + " (" + detail + "): port 80 is closed or forwarded elsewhere —"
                    + " open port 80 in the firewall and forward it to this host"
                    + (r.httpPort() == 80 ? "" : " on port " + r.httpPort() + ", where Mailwright answers")
                    + "; " + (ip.isPresent() ? "if " + ip.get() + " is not this host, fix the A record for " + name : "check the A record for " + name));
        }
        if (type.equals("unauthorized") || type.equals("incorrectResponse") || type.equals("malformed")) {
            String who = served == 0 ? "something else answered on port 80 (Mailwright's responder was never asked)"
                    : "the answer did not match";
            return new AcmeFailure(AcmeFailure.Reason.WRONG_ANSWER, "the CA reached " + url + " but " + who + " (" + detail
                    + ") — make port 80 reach Mailwright, not another web server or machine (check port forwarding)");
        }
        if (type.equals("caa")) {
            return new AcmeFailure(AcmeFailure.Reason.REFUSED, "a CAA record of " + name + " forbids this CA (" + detail
                    + ") — add the CA to the CAA record or remove it");
        }
        return new AcmeFailure(AcmeFailure.Reason.REFUSED, "the CA could not validate " + name + ": " + detail
                + (type.isEmpty() ? "" : " (" + type + ")") + " — fix what it names and try again");
    }

    private static AcmeFailure orderProblem(Order order, String what) {
        String detail = order.getError().map(AcmeClient::detail).orElse("status " + order.getStatus());
        return new AcmeFailure(AcmeFailure.Reason.REFUSED, "the order for "
                + String.join(", ", order.getIdentifiers().stream().map(i -> i.getValue()).toList()) + " " + what
                + ": " + detail + " — try again; if it repeats, check the names and the CA's status page");
    }

    /** The last part of an ACME error type: {@code urn:ietf:params:acme:error:connection} → {@code connection}. */
    static String problemType(Problem p) {
        try {
            String t = p.getType().toString();
            return t.substring(t.lastIndexOf(':') + 1);
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The CA's words: detail, else title; with the sub-problems per name (RFC 8555 §6.7.1). */
    static String detail(Problem p) {
        StringBuilder b = new StringBuilder(p.getDetail().or(p::getTitle).orElse(problemType(p)));
        for (Problem sub : p.getSubProblems()) {
            b.append("; ").append(sub.getIdentifier().map(i -> i.getValue() + ": ").orElse(""))
                    .append(sub.getDetail().or(sub::getTitle).orElse(problemType(sub)));
        }
        return b.toString();
    }

    static Optional<String> ipIn(String text) {
        Matcher m = IP_IN_TEXT.matcher(text);
        if (!m.find()) return Optional.empty();
        return Optional.of(m.group(1) != null ? m.group(1) : m.group(2).toLowerCase(Locale.ROOT));
    }

    private static Throwable rootCause(Throwable t) {
        List<Throwable> seen = new ArrayList<>();
        while (t.getCause() != null && !seen.contains(t.getCause())) {
            seen.add(t);
            t = t.getCause();
            if (t instanceof SSLException || t instanceof ConnectException || t instanceof UnknownHostException) return t;
        }
        return t;
    }
}
