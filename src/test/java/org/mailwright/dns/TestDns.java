package org.mailwright.dns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import org.xbill.DNS.Type;

/**
 * A real DNS server for a test: dnsmasq on a loopback address of this test area and a free port, serving
 * exactly the lines given (no upstream, no /etc/hosts). Zones named with {@link #zone} answer NXDOMAIN
 * for names they do not hold, as an authoritative server would.
 */
public final class TestDns implements AutoCloseable {
    static final String ADDRESS = "127.0.5.1";
    private static final String SENTINEL = "ready.dnsmasq.test";

    private final Process process;
    private final Path log;
    private final String address;
    final int port;

    private TestDns(Process process, Path log, String address, int port) {
        this.process = process;
        this.log = log;
        this.address = address;
        this.port = port;
    }

    public String hostPort() {
        return address + ":" + port;
    }

    /** dnsmasq configuration lines, built from records and edited per test case. */
    public static final class Zone {
        private final Set<String> zones = new LinkedHashSet<>();
        private final List<String> lines = new ArrayList<>();

        Zone zone(String name) {
            zones.add(name);
            return this;
        }

        Zone line(String line) {
            lines.add(line);
            return this;
        }

        /** The generated records as dnsmasq serves them, except those {@code skip} selects. */
        public Zone records(DnsRecords records, Predicate<DnsRecord> skip) {
            zone("in-addr.arpa").zone("ip6.arpa");
            for (DnsRecord r : records.records()) {
                if (!r.kind().equals(DnsRecord.Kind.PTR)) zone(r.zone());
                if (skip.test(r)) continue;
                lines.add(dnsmasq(r));
            }
            return this;
        }

        Zone records(DnsRecords records) {
            return records(records, r -> false);
        }

        Zone txt(String name, String... strings) {
            StringBuilder b = new StringBuilder("txt-record=" + name);
            for (String s : strings) b.append(",\"").append(s).append('"');
            return line(b.toString());
        }

        static String dnsmasq(DnsRecord r) {
            return switch (r.type()) {
                // address-only: host-record would add a PTR of its own, which the PTR cases must control
                case "A" -> "dns-rr=" + r.name() + "," + Type.A + "," + hex(r.value());
                case "AAAA" -> "host-record=" + r.name() + "," + r.value();
                case "MX" -> "mx-host=" + r.name() + "," + r.value().split(" ")[1] + "," + r.value().split(" ")[0];
                case "TXT" -> {
                    StringBuilder b = new StringBuilder("txt-record=" + r.name());
                    for (String s : r.strings()) b.append(",\"").append(s).append('"');
                    yield b.toString();
                }
                case "PTR" -> "ptr-record=" + r.name() + "," + r.value();
                case "SRV" -> {
                    String[] f = r.value().split(" ");
                    yield "srv-host=" + r.name() + "," + f[3] + "," + f[2] + "," + f[0] + "," + f[1];
                }
                case "CAA" -> {
                    String[] f = r.value().split(" ", 3);
                    yield "caa-record=" + r.name() + "," + f[0] + "," + f[1] + "," + f[2].replace("\"", "");
                }
                default -> throw new IllegalArgumentException(r.type());
            };
        }

        /** An A record as dnsmasq's --dns-rr hex data. */
        static String hex(String ipv4) {
            StringBuilder b = new StringBuilder();
            for (String octet : ipv4.split("\\.")) b.append(String.format("%02x", Integer.parseInt(octet)));
            return b.toString();
        }

        String text(String address, int port) {
            StringBuilder b = new StringBuilder();
            b.append("no-resolv\nno-hosts\nbind-interfaces\nlisten-address=").append(address).append("\nport=").append(port).append('\n');
            b.append("log-queries\nlog-facility=-\ncache-size=0\n");
            b.append("local=/dnsmasq.test/\ntxt-record=").append(SENTINEL).append(",\"ready\"\n");
            zones.forEach(z -> b.append("local=/").append(z).append("/\n"));
            lines.forEach(l -> b.append(l).append('\n'));
            return b.toString();
        }
    }

    public static TestDns start(Path dir, Zone zone) throws IOException, InterruptedException {
        return start(dir, ADDRESS, zone);
    }

    /** On another loopback address than the usual one (a test's own range). */
    public static TestDns start(Path dir, String address, Zone zone) throws IOException, InterruptedException {
        String dnsmasq = Peers.require("dnsmasq", "dnsmasq");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = TestData.freePort();
            Path conf = dir.resolve("dnsmasq-" + port + ".conf");
            Path log = dir.resolve("dnsmasq-" + port + ".log");
            Files.writeString(conf, zone.text(address, port), StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(List.of(dnsmasq, "--keep-in-foreground", "--conf-file=" + conf, "--pid-file="));
            if ("root".equals(System.getProperty("user.name"))) cmd.add("--user=root");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            TestDns dns = new TestDns(p, log, address, port);
            if (dns.awaitReady()) return dns;
            dns.close();
            last = new IOException("dnsmasq did not start on " + address + ":" + port + ": " + Files.readString(log));
        }
        throw last;
    }

    /** Ready when it serves the sentinel record every test zone carries. */
    private boolean awaitReady() throws InterruptedException {
        DnsClient client = DnsClient.of(hostPort());
        Instant end = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(end)) {
            if (!process.isAlive()) return false;
            try {
                if (!client.txt(SENTINEL).isEmpty()) return true;
            } catch (DnsClient.LookupFailed e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
