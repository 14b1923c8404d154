package org.mailwright.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/**
 * A DNS server for a test zone (dnsmasq on a loopback address): the given names have A records, every other
 * name under {@code zone} is NXDOMAIN, nothing is forwarded anywhere.
 */
final class TestDns implements AutoCloseable {
    final String address;
    final int port;
    private final Process process;

    private TestDns(String address, int port, Process process) {
        this.address = address;
        this.port = port;
        this.process = process;
    }

    static TestDns start(Path dir, String address, String zone, Map<String, String> records) throws Exception {
        String dnsmasq = Peers.require("dnsmasq", "dnsmasq");
        Files.createDirectories(dir);
        int port = TestData.freePort();
        List<String> cmd = new ArrayList<>(List.of(dnsmasq, "--keep-in-foreground", "--no-resolv", "--no-hosts",
                "--no-poll", "--conf-file=/dev/null", "--listen-address=" + address, "--port=" + port, "--bind-interfaces",
                "--local=/" + zone + "/", "--pid-file=", "--user=" + System.getProperty("user.name"), "--log-facility=-",
                "--log-queries"));
        records.forEach((name, a) -> cmd.add("--host-record=" + name + "," + a));
        Path log = dir.resolve("dnsmasq.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TestDns dns = new TestDns(address, port, p);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (out.contains("started")) return dns;
            if (!p.isAlive()) throw new AssertionError("dnsmasq stopped: " + out);
            Thread.sleep(50);
        }
        dns.close();
        throw new AssertionError("dnsmasq did not start: " + Files.readString(log));
    }

    String hostPort() {
        return address + ":" + port;
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
