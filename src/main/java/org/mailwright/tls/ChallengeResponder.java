package org.mailwright.tls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP-01 responder (RFC 8555 §8.3): answers {@code GET /.well-known/acme-challenge/TOKEN} with the key
 * authorization while an order runs, and 404 for everything else. It listens only during an order,
 * like acme-client next to httpd in the OpenBSD recipe, but without a web server to configure.
 */
public final class ChallengeResponder implements AutoCloseable {
    static final String PREFIX = "/.well-known/acme-challenge/";

    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService workers;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final AtomicInteger served = new AtomicInteger();
    private final int port;

    private ChallengeResponder(int port) {
        this.port = port;
        this.workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "acme-http-01");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Listens on {@code port} of each address (a wildcard address covers the others).
     * Fails with what to do when the port is taken or needs privileges.
     */
    public static ChallengeResponder start(List<String> addresses, int port) throws IOException {
        ChallengeResponder r = new ChallengeResponder(port);
        try {
            for (String address : bindAddresses(addresses)) {
                InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(address), port);
                HttpServer server;
                try {
                    server = HttpServer.create(at, 16);
                } catch (BindException e) {
                    throw explainBind(e, address, port);
                } catch (SocketException e) {
                    throw explainBind(e, address, port);
                }
                server.createContext("/", r::handle);
                server.setExecutor(r.workers);
                server.start();
                r.servers.add(server);
            }
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    private static IOException explainBind(IOException e, String address, int port) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("Permission denied") || msg.contains("Access denied")) {
            return new IOException("cannot answer the ACME challenge: port " + port + " needs root or CAP_NET_BIND_SERVICE"
                    + " — run as root, or give Java the capability (setcap cap_net_bind_service=+ep on the java binary),"
                    + " or forward port 80 to a high port and pass --http-port", e);
        }
        if (msg.contains("in use")) {
            return new IOException("cannot answer the ACME challenge: port " + port + " on " + address
                    + " is already in use by another program (a web server?) — stop it while the certificate is ordered,"
                    + " or forward its /.well-known/acme-challenge/ to Mailwright on another port with --http-port", e);
        }
        return new IOException("cannot listen on " + address + " port " + port + " for the ACME challenge: " + msg
                + " — check the listener address and --http-port", e);
    }

    /** The addresses to bind: a wildcard (0.0.0.0, ::) once instead of the addresses it covers. */
    static List<String> bindAddresses(List<String> listenerAddresses) {
        Set<String> all = new LinkedHashSet<>(listenerAddresses);
        if (all.isEmpty()) return List.of("0.0.0.0");
        if (all.contains("::") || all.contains("::0")) return List.of("::"); // dual stack: covers IPv4 too
        if (all.contains("0.0.0.0")) {
            List<String> out = new ArrayList<>(List.of("0.0.0.0"));
            all.stream().filter(a -> a.contains(":")).forEach(out::add);
            return out;
        }
        return List.copyOf(all);
    }

    /** Serves {@code keyAuthorization} at {@code /.well-known/acme-challenge/token} from now on. */
    public void answer(String token, String keyAuthorization) {
        answers.put(token, keyAuthorization);
    }

    public void forget(String token) {
        answers.remove(token);
    }

    /** How many challenge requests got their answer: 0 after a failed validation means the CA never reached us. */
    public int served() {
        return served.get();
    }

    public int port() {
        return port;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            String answer = path.startsWith(PREFIX) ? answers.get(path.substring(PREFIX.length())) : null;
            if (answer == null || !(method.equals("GET") || method.equals("HEAD"))) {
                byte[] body = "404 not found\n".getBytes(StandardCharsets.US_ASCII);
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.sendResponseHeaders(404, method.equals("HEAD") ? -1 : body.length);
                if (!method.equals("HEAD")) ex.getResponseBody().write(body);
                return;
            }
            byte[] body = answer.getBytes(StandardCharsets.US_ASCII);
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, method.equals("HEAD") ? -1 : body.length);
            if (method.equals("GET")) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
                served.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        for (HttpServer s : servers) s.stop(0);
        servers.clear();
        workers.shutdownNow();
    }
}
