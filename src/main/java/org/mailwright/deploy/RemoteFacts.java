package org.mailwright.deploy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the remote host has: who we are there, its Java, systemd, free disk, listening ports, a running engine. */
public record RemoteFacts(
        int uid,
        String home,
        String javaPath,
        int javaMajor,
        String javaVersionLine,
        boolean systemd,
        int unprivilegedPortStart,
        long diskFreeKb,
        boolean dirExists,
        String running,
        List<Listening> listening,
        List<Listening> engineListening) {

    /** A socket in LISTEN state on the remote host ({@code /proc/net/tcp*}). */
    public record Listening(String address, int port) {
        boolean wildcard() {
            return isWildcard(address);
        }

        static boolean isWildcard(String a) {
            return a.isEmpty() || a.equals("0.0.0.0") || a.equals("::") || a.equals("*");
        }
    }

    public boolean engineRunning() {
        return !running.isEmpty();
    }

    /** Whether the running engine itself holds a socket that a listener on {@code address:port} would collide with. */
    public boolean heldByEngine(String address, int port) {
        return engineListening.stream().anyMatch(s -> s.port() == port && (s.wildcard() || Listening.isWildcard(address) || s.address().equals(address)));
    }

    /** One remote shell run, no changes made. */
    static RemoteFacts probe(SshConnection ssh, RemoteLayout layout) throws IOException {
        String d = Shell.quote(layout.dir());
        String script = String.join("\n",
                "echo uid=$(id -u)",
                "echo home=$HOME",
                "J=$(command -v java 2>/dev/null)",
                "if [ -n \"$J\" ]; then echo java=$(readlink -f \"$J\"); echo javaversion=$(\"$J\" -version 2>&1 | head -n 1); fi",
                "if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi",
                "echo unpriv=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null || echo 1024)",
                "P=" + d + "; while [ ! -d \"$P\" ]; do P=$(dirname \"$P\"); done",
                "echo diskfree=$(df -Pk \"$P\" | awk 'NR==2 {print $4}')",
                "if [ -d " + d + " ]; then echo exists=yes; else echo exists=no; fi",
                "PID=$(cat " + Shell.quote(layout.pidFile()) + " 2>/dev/null)",
                "EP=",
                "if [ -n \"$PID\" ] && kill -0 \"$PID\" 2>/dev/null; then echo running=pid:$PID; EP=$PID; fi",
                "if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet " + RemoteLayout.UNIT + " 2>/dev/null; then echo running=systemd;"
                        + " EP=$(systemctl show -p MainPID --value " + RemoteLayout.UNIT + "); fi",
                // The old engine's own sockets (by inode), so deploy can tell its ports from another program's.
                "if [ -n \"$EP\" ]; then for f in /proc/$EP/fd/*; do readlink \"$f\"; done 2>/dev/null | sed -n 's/^socket:\\[\\([0-9]*\\)\\]$/enginesock=\\1/p'; fi",
                "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == \"0A\" {print \"listen=\" $2 \" \" $10}'",
                "true");
        SshConnection.Result r = ssh.exec("sh -s", script.getBytes(java.nio.charset.StandardCharsets.UTF_8), Duration.ofSeconds(60));
        if (!r.ok()) throw new IOException("the remote checks did not run: " + r.complaint());
        return parse(r.out());
    }

    static RemoteFacts parse(String out) {
        Map<String, String> v = new HashMap<>();
        List<Listening> listening = new ArrayList<>();
        List<Listening> engineListening = new ArrayList<>();
        java.util.Set<String> engineSockets = new java.util.HashSet<>();
        List<String[]> sockets = new ArrayList<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) continue;
            String k = line.substring(0, eq).trim();
            String val = line.substring(eq + 1).trim();
            if (k.equals("listen")) {
                sockets.add(val.split("\\s+"));
            } else if (k.equals("enginesock")) {
                engineSockets.add(val);
            } else {
                v.merge(k, val, (a, b) -> a + "," + b);
            }
        }
        for (String[] sock : sockets) {
            Listening l = hexSocket(sock[0]);
            if (l == null) continue;
            listening.add(l);
            if (sock.length > 1 && engineSockets.contains(sock[1])) engineListening.add(l);
        }
        String versionLine = v.getOrDefault("javaversion", "");
        return new RemoteFacts(
                Integer.parseInt(v.getOrDefault("uid", "-1")),
                v.getOrDefault("home", ""),
                v.getOrDefault("java", ""),
                javaMajor(versionLine),
                versionLine,
                "yes".equals(v.get("systemd")),
                intOr(v.get("unpriv"), 1024),
                longOr(v.get("diskfree"), -1),
                "yes".equals(v.get("exists")),
                v.getOrDefault("running", ""),
                List.copyOf(listening),
                List.copyOf(engineListening));
    }

    /** {@code openjdk version "17.0.15" …} → 17; {@code java version "1.8.0_402"} → 8; unknown → 0. */
    static int javaMajor(String line) {
        Matcher m = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?").matcher(line);
        if (!m.find()) return 0;
        int first = Integer.parseInt(m.group(1));
        return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
    }

    /** {@code 0100007F:0019} (IPv4, little-endian) or 32 hex digits (IPv6) → address and port. */
    static Listening hexSocket(String s) {
        int colon = s.indexOf(':');
        if (colon < 0) return null;
        String hex = s.substring(0, colon);
        int port = Integer.parseInt(s.substring(colon + 1), 16);
        // Java (and others) listen on IPv6 sockets even for IPv4 addresses: ::ffff:a.b.c.d, four little-endian words.
        if (hex.length() == 32 && hex.toUpperCase(java.util.Locale.ROOT).startsWith("0000000000000000FFFF0000")) hex = hex.substring(24);
        if (hex.length() == 8) {
            long a = Long.parseLong(hex, 16);
            return new Listening((a & 0xff) + "." + ((a >> 8) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >> 24) & 0xff), port);
        }
        return new Listening(hex.chars().allMatch(c -> c == '0') ? "::" : "ipv6:" + hex, port);
    }

    private static int intOr(String s, int dflt) {
        try {
            return Integer.parseInt(s.trim());
        } catch (RuntimeException e) {
            return dflt;
        }
    }

    private static long longOr(String s, long dflt) {
        try {
            return Long.parseLong(s.trim());
        } catch (RuntimeException e) {
            return dflt;
        }
    }
}
