package org.mailwright.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dns.DnsClient;
import org.mailwright.dns.DnsRecord;
import org.mailwright.dns.DnsRecords;
import org.xbill.DNS.Type;

/**
 * The test DNS server: dnsmasq on a loopback address and a free port, serving exactly the {@link Zone} given —
 * no upstream, no /etc/hosts, so it never asks anyone else anything. A name under a {@link Zone#local} zone that the
 * zone does not hold answers NXDOMAIN, as an authoritative server would.
 *
 * <pre>
 * try (TestDns dns = TestDns.start(dir, "127.0.3.1", TestDns.zone().local("test")
 *         .mx("remote.test", "mx.remote.test", 10).host("mx.remote.test", "127.0.3.2"))) {
 *     config.withOutbound(… dns.resolver() …)
 * </pre>
 */
public final class TestDns implements AutoCloseable {
    /** Where the dns tests' server listens unless a test names another address. */
    public static final String DEFAULT_ADDRESS = "127.0.5.1";
    private static final String SENTINEL = "ready.dnsmasq.test";

    private final PeerProcess process;
    private final String address;
    private final int port;

    private TestDns(PeerProcess process, String address, int port) {
        this.process = process;
        this.address = address;
        this.port = port;
    }

    public static Zone zone() {
        return new Zone();
    }

    /** What dnsmasq serves, as its configuration lines. */
    public static final class Zone {
        private final Set<String> zones = new LinkedHashSet<>();
        private final List<String> lines = new ArrayList<>();

        /** Answers for everything under {@code name} here: NXDOMAIN for what the zone does not hold. */
        public Zone local(String name) {
            zones.add(name);
            return this;
        }

        /** One dnsmasq configuration line ({@code dns-rr=…}, {@code ptr-record=…}). */
        public Zone line(String line) {
            lines.add(line);
            return this;
        }

        /** The TTL of the answers (dnsmasq says 0 unless told, so nothing could be cached). */
        public Zone ttl(int seconds) {
            return line("local-ttl=" + seconds);
        }

        public Zone mx(String domain, String host, int preference) {
            return line("mx-host=" + domain + "," + host + "," + preference);
        }

        /** An A record only (no PTR of its own). */
        public Zone a(String name, String ipv4) {
            return line("dns-rr=" + name + "," + Type.A + "," + hex(ipv4));
        }

        /** A host: its A (or AAAA) record and the matching PTR. */
        public Zone host(String name, String ip) {
            return line("host-record=" + name + "," + ip);
        }

        /** A TXT record of these character-strings. */
        public Zone txt(String name, String... strings) {
            StringBuilder b = new StringBuilder("txt-record=" + name);
            for (String s : strings) b.append(",\"").append(s).append('"');
            return line(b.toString());
        }

        /** A TXT record of one long value, split into 255-byte character-strings as DNS requires (DKIM keys). */
        public Zone longTxt(String name, String value) {
            return txt(name, DkimKeys.txtStrings(value).toArray(String[]::new));
        }

        /** The generated records as dnsmasq serves them, except those {@code skip} selects. */
        public Zone records(DnsRecords records, Predicate<DnsRecord> skip) {
            local("in-addr.arpa").local("ip6.arpa");
            for (DnsRecord r : records.records()) {
                if (!r.kind().equals(DnsRecord.Kind.PTR)) local(r.zone());
                if (skip.test(r)) continue;
                lines.add(dnsmasq(r));
            }
            return this;
        }

        public Zone records(DnsRecords records) {
            return records(records, r -> false);
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

        /** An IPv4 address as dnsmasq's {@code dns-rr} hex data. */
        public static String hex(String ipv4) {
            StringBuilder b = new StringBuilder();
            for (String octet : ipv4.split("\\.")) b.append(String.format("%02x", Integer.parseInt(octet)));
            return b.toString();
        }

        String text(String address, int port) {
            StringBuilder b = new StringBuilder();
            b.append("no-resolv\nno-hosts\nno-poll\nbind-interfaces\nlisten-address=").append(address).append("\nport=").append(port).append('\n');
            b.append("log-queries\nlog-facility=-\ncache-size=0\n");
            if ("root".equals(System.getProperty("user.name"))) b.append("user=root\n");
            b.append("local=/dnsmasq.test/\ntxt-record=").append(SENTINEL).append(",\"ready\"\n");
            zones.forEach(z -> b.append("local=/").append(z).append("/\n"));
            lines.forEach(l -> b.append(l).append('\n'));
            return b.toString();
        }
    }

    /** On {@link #DEFAULT_ADDRESS}. */
    public static TestDns start(Path dir, Zone zone) throws IOException, InterruptedException {
        return start(dir, DEFAULT_ADDRESS, zone);
    }

    /** Starts dnsmasq on {@code address} and a free port; returns once it answers. Its files go to {@code dir}. */
    public static TestDns start(Path dir, String address, Zone zone) throws IOException, InterruptedException {
        String dnsmasq = Peers.require("dnsmasq", "dnsmasq");
        Files.createDirectories(dir);
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port can be taken by someone else before dnsmasq binds it
            int port = TestData.freePort();
            Path conf = dir.resolve("dnsmasq-" + port + ".conf");
            Files.writeString(conf, zone.text(address, port), StandardCharsets.UTF_8);
            DnsClient client = DnsClient.of(address + ":" + port);
            try {
                PeerProcess p = PeerProcess.start("dnsmasq on " + address + ":" + port,
                        new ProcessBuilder(dnsmasq, "--keep-in-foreground", "--conf-file=" + conf, "--pid-file="),
                        dir.resolve("dnsmasq-" + port + ".log"), Duration.ofSeconds(15), log -> !client.txt(SENTINEL).isEmpty());
                return new TestDns(p, address, port);
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw last;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** {@code HOST:PORT}, as {@code [outbound] resolver} and {@code --resolver} take it. */
    public String resolver() {
        return address + ":" + port;
    }

    /** The queries dnsmasq logged so far (and whatever else it said). */
    public String log() throws IOException {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
