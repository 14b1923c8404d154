package org.mailwright.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/**
 * Let's Encrypt's ACME test server (Debian package {@code pebble}) on a loopback address, with its HTTPS
 * certificate from a {@link TestCa} made here (Debian ships none), its validation pointed at {@code httpPort}
 * and its name lookups at a {@link TestDns}. Random sleeps and nonce rejections are off, for quick tests.
 */
public final class Pebble implements AutoCloseable {
    public final String address;
    public final int port;
    public final int httpPort;
    public final Path caPem;
    final Path log;
    private final Process process;

    private Pebble(String address, int port, int httpPort, Path caPem, Path log, Process process) {
        this.address = address;
        this.port = port;
        this.httpPort = httpPort;
        this.caPem = caPem;
        this.log = log;
        this.process = process;
    }

    public static Pebble start(Path dir, String address, int httpPort, String dnsServer) throws Exception {
        String pebble = Peers.require("pebble", "pebble");
        Files.createDirectories(dir);
        TestCa ca = TestCa.root("Mailwright test CA for Pebble");
        var key = TestCa.ecKey();
        Path caPem = dir.resolve("pebble-ca.pem");
        ca.writeCert(caPem);
        Pem.writeChain(dir.resolve("pebble-cert.pem"), List.of(ca.leaf(key, List.of("localhost", address))));
        Pem.writePrivateKey(dir.resolve("pebble-key.pem"), key.getPrivate());
        int port = TestData.freePort();
        int management = TestData.freePort();
        Files.writeString(dir.resolve("pebble.json"), """
                {"pebble": {"listenAddress": "%s:%d", "managementListenAddress": "%s:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(address, port, address, management, dir.resolve("pebble-cert.pem"),
                dir.resolve("pebble-key.pem"), httpPort, TestData.freePort()));
        Path log = dir.resolve("pebble.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(pebble, "-config", dir.resolve("pebble.json").toString(),
                "-dnsserver", dnsServer))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("PEBBLE_VA_NOSLEEP", "1");
        env.put("PEBBLE_WFE_NONCEREJECT", "0");
        env.put("PEBBLE_AUTHZREUSE", "0"); // every order validates again: the tests are about validation
        Process p = pb.start();
        Pebble started = new Pebble(address, port, httpPort, caPem, log, p);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (out.contains("ACME directory available")) return started;
            if (!p.isAlive()) throw new AssertionError("pebble stopped: " + out);
            Thread.sleep(100);
        }
        started.close();
        throw new AssertionError("pebble did not start within 60 s: " + Files.readString(log));
    }

    public String directory() {
        return "https://" + address + ":" + port + "/dir";
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
