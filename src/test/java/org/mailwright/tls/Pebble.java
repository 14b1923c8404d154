package org.mailwright.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.mailwright.testing.PeerProcess;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/**
 * Let's Encrypt's ACME test server (Debian package {@code pebble}) on a loopback address, with its HTTPS
 * certificate from a {@link TestCa} made here (Debian ships none), its validation pointed at {@code httpPort}
 * and its name lookups at a {@link org.mailwright.testing.TestDns}. Random sleeps and nonce rejections are off, for quick tests.
 */
public final class Pebble implements AutoCloseable {
    public final String address;
    public final int port;
    public final int httpPort;
    public final Path caPem;
    final Path log;
    private final PeerProcess process;

    private Pebble(String address, int port, int httpPort, Path caPem, Path log, PeerProcess process) {
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
                "-dnsserver", dnsServer));
        Map<String, String> env = pb.environment();
        env.put("PEBBLE_VA_NOSLEEP", "1");
        env.put("PEBBLE_WFE_NONCEREJECT", "0");
        env.put("PEBBLE_AUTHZREUSE", "0"); // every order validates again: the tests are about validation
        PeerProcess p = PeerProcess.start("pebble", pb, log, Duration.ofSeconds(60), PeerProcess.Ready.says("ACME directory available"));
        return new Pebble(address, port, httpPort, caPem, log, p);
    }

    public String directory() {
        return "https://" + address + ":" + port + "/dir";
    }

    String output() throws IOException {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
