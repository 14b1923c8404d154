package org.mailwright.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.config.ConfigWriter;
import org.mailwright.lookup.Aliases;

/**
 * What a deploy will do, decided before anything changes on the remote host: whether the host can take the engine
 * and how it will run there ({@link #preflight}: Java, disk, systemd or a pid file, ports), and the release's files
 * ({@link #manifest}: the jar, jvm.options, the launcher or unit, the configuration rewritten for the remote layout,
 * passwd, aliases, TLS and DKIM files, the smarthost secret). {@link Deployment} carries it out.
 *
 * <p>Only these files leave the desk: the queue, the mailboxes, the maillog and the desk's own state (its server list)
 * are never part of a release.
 */
final class ReleasePlan {
    private final SshTarget target;
    private final Path dataDir;

    ReleasePlan(SshTarget target, Path dataDir) {
        this.target = target;
        this.dataDir = dataDir;
    }

    /**
     * The pre-flight: says what was found on the host, one line per check, and chooses how the engine will run there;
     * throws with every problem in words when one blocks the deploy (nothing has changed there yet).
     */
    Deployment.ServiceMode preflight(RemoteFacts f, Config config, RemoteLayout layout, long jarSize, Deployment.Progress progress, List<String> notes)
            throws DeployException {
        List<String> problems = new ArrayList<>();
        String host = target.host();
        if (f.javaPath().isEmpty()) {
            problems.add("there is no Java on " + host + " — install Java 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jre-headless)");
        } else if (f.javaMajor() < 17) {
            problems.add("Java on " + host + " is too old (" + f.javaVersionLine() + ") — Mailwright needs Java 17 or newer (apt-get install openjdk-17-jre-headless)");
        } else {
            progress.step(Deployment.Step.CHECK, "Java " + f.javaMajor() + " at " + f.javaPath() + ": ok");
        }

        long needKb = (jarSize * 2) / 1024 + 100 * 1024;
        if (f.diskFreeKb() >= 0 && f.diskFreeKb() < needKb) {
            problems.add("only " + f.diskFreeKb() / 1024 + " MB free for " + layout.dir() + " on " + host + "; at least " + needKb / 1024
                    + " MB are needed — free some space or choose another --remote-dir");
        } else {
            progress.step(Deployment.Step.CHECK, "Disk space: " + (f.diskFreeKb() < 0 ? "unknown" : f.diskFreeKb() / 1024 + " MB free") + ": ok");
        }

        Deployment.ServiceMode mode;
        if (f.systemd() && f.uid() == 0) {
            mode = Deployment.ServiceMode.SYSTEMD;
            progress.step(Deployment.Step.CHECK, "systemd runs the host: the engine will run as " + RemoteLayout.UNIT + " (user " + RemoteLayout.SERVICE_USER + ")");
        } else {
            mode = Deployment.ServiceMode.NOHUP;
            String why = f.systemd() ? "systemd is there but " + target.user() + " is not root (log in as root to install the service)"
                    : "there is no systemd on " + host;
            notes.add(why + ": the engine runs with nohup and a pid file (" + layout.pidFile() + "); it does not restart by itself after a reboot");
            progress.step(Deployment.Step.CHECK, notes.get(notes.size() - 1));
        }

        for (Config.Listener l : config.listeners()) {
            String where = l.address() + ":" + l.port();
            boolean privileged = l.port() < f.unprivilegedPortStart();
            if (privileged && f.uid() != 0 && mode != Deployment.ServiceMode.SYSTEMD) {
                problems.add("port " + l.port() + " needs root or CAP_NET_BIND_SERVICE, and " + target.user() + " has neither on " + host
                        + " — deploy as root (the service gets CAP_NET_BIND_SERVICE) or use ports from " + f.unprivilegedPortStart() + " up");
            }
            var taken = f.listening().stream().filter(s -> s.port() == l.port()
                    && (s.wildcard() || RemoteFacts.Listening.isWildcard(l.address()) || s.address().equals(l.address()))).findFirst();
            // The old engine's own sockets are known by inode; when they could not be read, trust that it holds its ports.
            boolean engineHolds = f.engineRunning() && (f.engineListening().isEmpty() || f.heldByEngine(l.address(), l.port()));
            if (taken.isPresent() && !engineHolds) {
                problems.add("port " + l.port() + " is already in use on " + host + " (" + taken.get().address() + ":" + l.port()
                        + (f.engineRunning() ? ", not by the running Mailwright" : "") + ") — stop the program that holds it (another MTA? `ss -ltnp`) or change the port");
            } else if (taken.isPresent()) {
                progress.step(Deployment.Step.CHECK, "Port " + where + ": held by the running Mailwright, which will be restarted");
            } else {
                progress.step(Deployment.Step.CHECK, "Port " + where + ": free" + (privileged ? ", may be bound (" + (f.uid() == 0 ? "root" : "CAP_NET_BIND_SERVICE") + ")" : ""));
            }
        }
        if (!problems.isEmpty()) {
            throw new DeployException(target + " is not ready (nothing was changed there): " + String.join("; ", problems));
        }
        if (f.engineRunning()) progress.step(Deployment.Step.CHECK, "An engine runs there (" + f.running() + "): this deploy upgrades it in place");
        return mode;
    }

    /** One file to upload: a path under the staging directory, its mode and where its bytes come from. */
    record Upload(String remoteName, String mode, Path source, byte[] content) {
        long size() throws IOException {
            return content != null ? content.length : Files.size(source);
        }

        InputStream open() throws IOException {
            return content != null ? new ByteArrayInputStream(content) : Files.newInputStream(source);
        }
    }

    /** The release's files, as they will lie under the staging directory. */
    List<Upload> manifest(Config config, Path jar, RemoteLayout layout, RemoteFacts facts, Deployment.ServiceMode mode) throws IOException {
        Path data = dataDir;
        List<Upload> list = new ArrayList<>();
        list.add(new Upload("mailwright.jar", "0644", jar, null));
        // The engine's JVM flags travel with the release, so a rollback also brings the old flags back.
        String jvmText = JvmOptions.bundledText();
        List<String> jvmOptions = JvmOptions.parse(jvmText);
        list.add(new Upload(JvmOptions.FILE_NAME, "0644", null, jvmText.getBytes(StandardCharsets.UTF_8)));
        if (mode == Deployment.ServiceMode.NOHUP) {
            list.add(new Upload(ReleaseScripts.LAUNCHER, "0755", null,
                    ReleaseScripts.launcher(layout, facts.javaPath(), jvmOptions).getBytes(StandardCharsets.UTF_8)));
        }
        // The certificate, key and smarthost secret may live anywhere here; there they live inside the data dir.
        Config.Tls t = config.tls();
        String cert = remotePath(t.cert(), "tls/fullchain.pem");
        String key = remotePath(t.key(), "tls/privkey.pem");
        Config.Outbound o = config.outbound();
        String smarthostSecret = o.smarthostPasswordFile().isBlank() ? "" : remotePath(o.smarthostPasswordFile(), "secrets/smarthost-password");
        Config remote = config.withTls(t.withFiles(cert, key)).withOutbound(o.withSmarthostPasswordFile(smarthostSecret));
        // The file as the user wrote it, comments and all, unless a path in it must change for the remote layout.
        Path localConf = data.resolve(ConfigLoader.FILE_NAME);
        byte[] conf = remote.equals(config) && Files.exists(localConf) ? Files.readAllBytes(localConf)
                : ConfigWriter.toToml(remote).getBytes(StandardCharsets.UTF_8);
        list.add(new Upload("data/" + ConfigLoader.FILE_NAME, "0644", null, conf));
        if (Files.exists(data.resolve("passwd"))) list.add(new Upload("data/passwd", "0600", data.resolve("passwd"), null));
        if (Files.exists(data.resolve(Aliases.FILE_NAME))) {
            list.add(new Upload("data/" + Aliases.FILE_NAME, "0644", data.resolve(Aliases.FILE_NAME), null));
        }
        for (String dir : List.of("tls", "dkim")) {
            Path d = data.resolve(dir);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> files = Files.walk(d)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    String rel = data.relativize(f).toString().replace('\\', '/');
                    list.add(new Upload("data/" + rel, isPublic(f) ? "0644" : "0600", f, null));
                }
            }
        }
        Path localCert = data.resolve(t.cert());
        if (!localCert.startsWith(data.resolve("tls")) && Files.exists(localCert)) list.add(new Upload("data/" + cert, "0644", localCert, null));
        Path localKey = data.resolve(t.key());
        if (!localKey.startsWith(data.resolve("tls")) && Files.exists(localKey)) list.add(new Upload("data/" + key, "0600", localKey, null));
        if (!smarthostSecret.isEmpty()) list.add(new Upload("data/" + smarthostSecret, "0600", data.resolve(o.smarthostPasswordFile()), null));
        if (mode == Deployment.ServiceMode.SYSTEMD) {
            list.add(new Upload(RemoteLayout.UNIT, "0644", null, SystemdUnit.text(layout, facts.javaPath(), jvmOptions).getBytes(StandardCharsets.UTF_8)));
        }
        return list;
    }

    /** A file inside the data dir keeps its relative path; one outside it goes to {@code fallback}. */
    private String remotePath(String configured, String fallback) {
        Path data = dataDir.toAbsolutePath().normalize();
        Path p = data.resolve(configured).normalize();
        return p.startsWith(data) ? data.relativize(p).toString().replace('\\', '/') : fallback;
    }

    /** Certificates and public keys may be read by anyone; everything else in tls/ and dkim/ is a secret. */
    private static boolean isPublic(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".pub") || n.endsWith(".txt") || (n.endsWith(".pem") && (n.contains("chain") || n.contains("cert")) && !n.contains("key"));
    }

}
