package org.mailwright.mta;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/**
 * dnsmasq as the test's DNS server on a loopback address and a free port, serving only the test zones
 * (MX, A, TXT) and NXDOMAIN for everything else under {@code .test}; it never asks anyone upstream.
 */
final class TestDns implements AutoCloseable {
    final String address;
    final int port;
    private final List<String> records = new ArrayList<>();
    private Process process;

    TestDns(String address) throws IOException {
        Peers.require("dnsmasq", "dnsmasq");
        this.address = address;
        this.port = TestData.freePort();
    }

    /** {@code [outbound] resolver}. */
    String resolver() {
        return address + ":" + port;
    }

    /** The TTL of the records (dnsmasq answers with 0 unless told: nothing could be cached). */
    TestDns ttl(int seconds) {
        records.add("--local-ttl=" + seconds);
        return this;
    }

    TestDns mx(String domain, String host, int preference) {
        records.add("--mx-host=" + domain + "," + host + "," + preference);
        return this;
    }

    TestDns a(String name, String ip) {
        records.add("--host-record=" + name + "," + ip);
        return this;
    }

    /** A TXT record, split into 255-byte character-strings as DNS requires. */
    TestDns txt(String name, String value) {
        StringBuilder b = new StringBuilder("--txt-record=").append(name);
        for (String part : DkimKeys.txtStrings(value)) b.append(",\"").append(part).append('"');
        records.add(b.toString());
        return this;
    }

    TestDns start(Path logFile) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("dnsmasq", "dnsmasq"), "--no-daemon",
                "--port=" + port, "--listen-address=" + address, "--bind-interfaces", "--no-resolv", "--no-hosts",
                "--conf-file=/dev/null", "--local=/test/", "--log-queries", "--log-facility=-"));
        cmd.addAll(records);
        Files.createDirectories(logFile.getParent());
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        // dnsmasq answers TCP too: it is up when the TCP port accepts.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("dnsmasq exited: " + Files.readString(logFile));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 200);
                return this;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("dnsmasq did not start on " + resolver() + ": " + Files.readString(logFile));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
