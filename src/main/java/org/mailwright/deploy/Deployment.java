package org.mailwright.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import org.mailwright.config.ConfigWriter;

/**
 * One deploy of the local engine and its data to a remote host over SSH. The GUI's Deploy view and
 * {@code mailwright deploy} both run this: {@link #run(Progress)} on a worker thread, {@link #cancel()} from any thread.
 *
 * <p>Nothing on the remote host changes until the last step: files go to a staging directory next to the remote
 * dir; a cancel or a failure before {@link Step#INSTALL} removes it. {@code INSTALL} stops the running engine
 * (SIGTERM, waits), renames the staged files into place and starts the engine; the remote queue, mailboxes and
 * maillog are never touched, so deploying again is an in-place upgrade.
 */
public final class Deployment {

    /** The steps, in order, as the progress callback reports them. */
    public enum Step {
        CONNECT("Connect over SSH"),
        CHECK("Check the remote host"),
        UPLOAD("Upload the engine and its data"),
        VALIDATE("Check the configuration there"),
        INSTALL("Install and restart"),
        VERIFY("Check the SMTP greeting");

        public final String title;

        Step(String title) {
            this.title = title;
        }
    }

    /** Called on the deploying thread; a GUI hands it over to its own thread. */
    public interface Progress {
        /** A step started or has something to say; {@code message} is one line for a person. */
        void step(Step step, String message);

        /** Bytes sent of the file being uploaded. */
        default void uploaded(String file, long sent, long total) {}

        Progress NONE = (s, m) -> {};
    }

    /**
     * What to deploy where. {@code remoteDir} empty: /opt/mailwright for root, else ~/mailwright.
     * {@code password} is the GUI's fallback when the server takes no key (null: keys only).
     * {@code acceptHostKey}: the SHA256 fingerprint the user confirmed for a host not in known_hosts (or empty).
     * {@code jar} null: the jar this program runs from.
     */
    public record Request(SshTarget target, Path identity, String password, String remoteDir, Path knownHosts,
                          String acceptHostKey, Path dataDir, Path jar) {
        public Request {
            if (knownHosts == null) knownHosts = HostKeys.defaultFile();
            if (remoteDir == null) remoteDir = "";
            if (acceptHostKey == null) acceptHostKey = "";
        }
    }

    public enum ServiceMode { SYSTEMD, NOHUP }

    /** What was done. */
    public record Report(SshTarget target, String remoteDir, ServiceMode mode, boolean upgrade, String banner, List<String> notes) {}

    private static final Duration BANNER_WAIT = Duration.ofSeconds(90);

    private final Request request;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile boolean committing;

    public Deployment(Request request) {
        this.request = request;
    }

    /**
     * Asks the deploy to stop. Before {@link Step#INSTALL} it stops at the next chance and removes what it uploaded;
     * once INSTALL started it finishes (half an install would be worse). Returns false in that case.
     */
    public boolean cancel() {
        cancelled.set(true);
        return !committing;
    }

    public Report run(Progress progress) throws DeployException {
        Config config;
        try {
            config = ConfigLoader.load(request.dataDir());
        } catch (ConfigException e) {
            throw new DeployException("the local configuration is not valid, nothing was deployed: " + String.join("; ", e.problems()));
        }
        Path jar = request.jar() != null ? request.jar() : runningJar();

        progress.step(Step.CONNECT, "Connecting to " + request.target() + " …");
        HostKeys hostKeys = new HostKeys(request.knownHosts(), request.target(), request.acceptHostKey());
        try (SshConnection ssh = SshConnection.open(request.target(), request.identity(), request.password(), hostKeys)) {
            progress.step(Step.CONNECT, "Connected; host key " + hostKeys.offeredFingerprint()
                    + (hostKeys.verdict() == HostKeys.Verdict.ACCEPTED_NEW ? " confirmed and added to " + hostKeys.file() : " matches " + hostKeys.file()));
            return deploy(ssh, config, jar, progress);
        } catch (IOException e) {
            throw new DeployException("deploy to " + request.target() + " failed: " + e.getMessage(), e);
        }
    }

    private Report deploy(SshConnection ssh, Config config, Path jar, Progress progress) throws IOException, DeployException {
        checkCancel(null, ssh);
        progress.step(Step.CHECK, "Looking at the remote host …");
        RemoteLayout layout = layout(ssh);
        RemoteFacts facts = RemoteFacts.probe(ssh, layout);
        List<String> notes = new ArrayList<>();
        ServiceMode mode = check(facts, config, layout, Files.size(jar), progress, notes);
        boolean upgrade = facts.dirExists();

        String staging = layout.staging(HexFormat.of().formatHex(new SecureRandom().generateSeed(6)));
        try {
            checkCancel(null, ssh);
            progress.step(Step.UPLOAD, "Uploading to " + staging + " (nothing in " + layout.dir() + " changes yet)");
            List<Upload> uploads = uploads(config, jar, layout, facts, mode);
            upload(ssh, staging, uploads, progress);
            checkCancel(staging, ssh);
            progress.step(Step.VALIDATE, "Running `mailwright config check` with the uploaded files …");
            SshConnection.Result check = ssh.exec(Shell.quote(facts.javaPath()) + " -jar " + Shell.quote(staging + "/mailwright.jar")
                    + " --data " + Shell.quote(staging + "/data") + " config check", Duration.ofMinutes(2));
            if (!check.ok()) {
                throw new DeployException("the configuration does not pass `config check` on " + request.target() + ": "
                        + check.complaint() + " — fix it here, then deploy again (the remote host was not changed)");
            }
            progress.step(Step.VALIDATE, check.out().strip());
            checkCancel(staging, ssh);
        } catch (IOException | DeployException | RuntimeException e) {
            removeStaging(ssh, staging);
            throw e;
        }

        committing = true;
        progress.step(Step.INSTALL, (facts.engineRunning() ? "Stopping the running engine (SIGTERM), then moving" : "Moving")
                + " the new files into " + layout.dir() + (mode == ServiceMode.SYSTEMD ? " and (re)starting " + RemoteLayout.UNIT
                : " and starting the engine with nohup"));
        SshConnection.Result install = ssh.exec("sh -s", installScript(layout, staging, mode, facts.javaPath()).getBytes(StandardCharsets.UTF_8),
                Duration.ofMinutes(3));
        if (!install.ok()) {
            removeStaging(ssh, staging);
            throw new DeployException("installing on " + request.target() + " failed: " + install.complaint());
        }
        for (String line : install.out().split("\n")) {
            if (line.startsWith("stopped=")) progress.step(Step.INSTALL, "Stopped the previous engine (pid " + line.substring(8) + ") cleanly");
            if (line.startsWith("started=")) progress.step(Step.INSTALL, "Started the engine, pid " + line.substring(8) + " (pid file " + layout.pidFile() + ")");
        }
        if (mode == ServiceMode.SYSTEMD) progress.step(Step.INSTALL, RemoteLayout.UNIT + " installed, enabled and started");

        String banner = verifyBanner(ssh, config, layout, mode, progress);
        progress.step(Step.VERIFY, "The engine on " + request.target().host() + " answers: " + banner);
        return new Report(request.target(), layout.dir(), mode, upgrade, banner, List.copyOf(notes));
    }

    private RemoteLayout layout(SshConnection ssh) throws IOException, DeployException {
        if (!request.remoteDir().isBlank()) {
            try {
                return new RemoteLayout(request.remoteDir());
            } catch (IllegalArgumentException e) {
                throw new DeployException(e.getMessage() + " — give --remote-dir as an absolute path such as /opt/mailwright");
            }
        }
        SshConnection.Result who = ssh.exec("id -u; echo \"$HOME\"", Duration.ofSeconds(30));
        String[] lines = who.out().strip().split("\n");
        if (!who.ok() || lines.length < 2) throw new IOException("cannot find out who we are on the remote host: " + who.complaint());
        return RemoteLayout.defaultFor(Integer.parseInt(lines[0].trim()), lines[1].trim());
    }

    /** Says what was found, one line per check; throws with every problem in words when one blocks the deploy. */
    private ServiceMode check(RemoteFacts f, Config config, RemoteLayout layout, long jarSize, Progress progress, List<String> notes)
            throws DeployException {
        List<String> problems = new ArrayList<>();
        String host = request.target().host();
        if (f.javaPath().isEmpty()) {
            problems.add("there is no Java on " + host + " — install Java 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jre-headless)");
        } else if (f.javaMajor() < 17) {
            problems.add("Java on " + host + " is too old (" + f.javaVersionLine() + ") — Mailwright needs Java 17 or newer (apt-get install openjdk-17-jre-headless)");
        } else {
            progress.step(Step.CHECK, "Java " + f.javaMajor() + " at " + f.javaPath() + ": ok");
        }

        long needKb = (jarSize * 2) / 1024 + 100 * 1024;
        if (f.diskFreeKb() >= 0 && f.diskFreeKb() < needKb) {
            problems.add("only " + f.diskFreeKb() / 1024 + " MB free for " + layout.dir() + " on " + host + "; at least " + needKb / 1024
                    + " MB are needed — free some space or choose another --remote-dir");
        } else {
            progress.step(Step.CHECK, "Disk space: " + (f.diskFreeKb() < 0 ? "unknown" : f.diskFreeKb() / 1024 + " MB free") + ": ok");
        }

        ServiceMode mode;
        if (f.systemd() && f.uid() == 0) {
            mode = ServiceMode.SYSTEMD;
            progress.step(Step.CHECK, "systemd runs the host: the engine will run as " + RemoteLayout.UNIT + " (user " + RemoteLayout.SERVICE_USER + ")");
        } else {
            mode = ServiceMode.NOHUP;
            String why = f.systemd() ? "systemd is there but " + request.target().user() + " is not root (log in as root to install the service)"
                    : "there is no systemd on " + host;
            notes.add(why + ": the engine runs with nohup and a pid file (" + layout.pidFile() + "); it does not restart by itself after a reboot");
            progress.step(Step.CHECK, notes.get(notes.size() - 1));
        }

        for (Config.Listener l : config.listeners()) {
            String where = l.address() + ":" + l.port();
            boolean privileged = l.port() < f.unprivilegedPortStart();
            if (privileged && f.uid() != 0 && mode != ServiceMode.SYSTEMD) {
                problems.add("port " + l.port() + " needs root or CAP_NET_BIND_SERVICE, and " + request.target().user() + " has neither on " + host
                        + " — deploy as root (the service gets CAP_NET_BIND_SERVICE) or use ports from " + f.unprivilegedPortStart() + " up");
            }
            var taken = f.listening().stream().filter(s -> s.port() == l.port()
                    && (s.wildcard() || isWildcard(l.address()) || s.address().equals(l.address()))).findFirst();
            if (taken.isPresent() && !f.engineRunning()) {
                problems.add("port " + l.port() + " is already in use on " + host + " (" + taken.get().address() + ":" + l.port()
                        + ") — stop the program that holds it (another MTA? `ss -ltnp`) or change the port");
            } else if (taken.isPresent()) {
                progress.step(Step.CHECK, "Port " + where + ": held by the running Mailwright, which will be restarted");
            } else {
                progress.step(Step.CHECK, "Port " + where + ": free" + (privileged ? ", may be bound (" + (f.uid() == 0 ? "root" : "CAP_NET_BIND_SERVICE") + ")" : ""));
            }
        }
        if (!problems.isEmpty()) {
            throw new DeployException(request.target() + " is not ready (nothing was changed there): " + String.join("; ", problems));
        }
        if (f.engineRunning()) progress.step(Step.CHECK, "An engine runs there (" + f.running() + "): this deploy upgrades it in place");
        return mode;
    }

    private static boolean isWildcard(String address) {
        return address.isEmpty() || address.equals("0.0.0.0") || address.equals("::") || address.equals("*");
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

    private List<Upload> uploads(Config config, Path jar, RemoteLayout layout, RemoteFacts facts, ServiceMode mode) throws IOException {
        Path data = request.dataDir();
        List<Upload> list = new ArrayList<>();
        list.add(new Upload("mailwright.jar", "0644", jar, null));
        // The certificate, key and smarthost secret may live anywhere here; there they live inside the data dir.
        Config.Tls t = config.tls();
        String cert = remotePath(t.cert(), "tls/fullchain.pem");
        String key = remotePath(t.key(), "tls/privkey.pem");
        Config.Outbound o = config.outbound();
        String smarthostSecret = o.smarthostPasswordFile().isBlank() ? "" : remotePath(o.smarthostPasswordFile(), "secrets/smarthost-password");
        Config remote = config.withTls(t.withFiles(cert, key)).withOutbound(o.withSmarthostPasswordFile(smarthostSecret));
        list.add(new Upload("data/" + ConfigLoader.FILE_NAME, "0644", null, ConfigWriter.toToml(remote).getBytes(StandardCharsets.UTF_8)));
        if (Files.exists(data.resolve("passwd"))) list.add(new Upload("data/passwd", "0600", data.resolve("passwd"), null));
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
        if (mode == ServiceMode.SYSTEMD) {
            list.add(new Upload(RemoteLayout.UNIT, "0644", null, SystemdUnit.text(layout, facts.javaPath()).getBytes(StandardCharsets.UTF_8)));
        }
        return list;
    }

    /**
     * Sends every file as one tar stream into the staging directory ({@code umask 077}, then each file's own mode),
     * checking for a cancel between chunks.
     */
    private void upload(SshConnection ssh, String staging, List<Upload> uploads, Progress progress) throws IOException, DeployException {
        StringBuilder cmd = new StringBuilder("umask 077 && mkdir -p " + Shell.quote(staging) + " && tar -x -f - -C " + Shell.quote(staging));
        for (Upload u : uploads) cmd.append(" && chmod ").append(u.mode()).append(' ').append(Shell.quote(staging + "/" + u.remoteName()));
        long now = Instant.now().getEpochSecond();
        SshConnection.Result r = ssh.execFeeding(cmd.toString(), stdin -> {
            TarStream tar = new TarStream(stdin);
            byte[] buf = new byte[64 * 1024];
            for (Upload u : uploads) {
                if (cancelled.get()) return false;
                long size = u.size();
                progress.step(Step.UPLOAD, u.remoteName() + " (" + size + " bytes" + (u.mode().equals("0600") ? ", mode 0600" : "") + ")");
                tar.beginFile(u.remoteName(), Integer.parseInt(u.mode(), 8), size, now);
                try (InputStream in = u.open()) {
                    long sent = 0;
                    while (sent < size) {
                        if (cancelled.get()) return false;
                        int n = in.read(buf, 0, (int) Math.min(buf.length, size - sent));
                        if (n < 0) throw new IOException(u.remoteName() + " shrank while uploading");
                        tar.data(buf, 0, n);
                        sent += n;
                        progress.uploaded(u.remoteName(), sent, size);
                    }
                }
                tar.endEntry(size);
            }
            tar.finish();
            return true;
        }, Duration.ofMinutes(10));
        if (r == null) checkCancel(staging, ssh);
        if (!r.ok()) throw new IOException("the upload to " + staging + " failed: " + r.complaint());
    }

    /** A file inside the data dir keeps its relative path; one outside it goes to {@code fallback}. */
    private String remotePath(String configured, String fallback) {
        Path data = request.dataDir().toAbsolutePath().normalize();
        Path p = data.resolve(configured).normalize();
        return p.startsWith(data) ? data.relativize(p).toString().replace('\\', '/') : fallback;
    }

    /** Certificates and public keys may be read by anyone; everything else in tls/ and dkim/ is a secret. */
    private static boolean isPublic(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".pub") || n.endsWith(".txt") || (n.endsWith(".pem") && (n.contains("chain") || n.contains("cert")) && !n.contains("key"));
    }

    /** Stop (SIGTERM, wait), rename the staged files into place, start. Prints stopped=PID / started=PID. */
    static String installScript(RemoteLayout layout, String staging, ServiceMode mode, String java) {
        List<String> s = new ArrayList<>(List.of(
                "set -e",
                "S=" + Shell.quote(staging),
                "D=" + Shell.quote(layout.dir()),
                "J=" + Shell.quote(java),
                "mkdir -p \"$D/data\"",
                "chmod 0755 \"$D\"",
                "chmod 0700 \"$D/data\""));
        if (mode == ServiceMode.SYSTEMD) {
            s.add("id " + RemoteLayout.SERVICE_USER + " >/dev/null 2>&1 || useradd --system --user-group --home-dir \"$D\" --no-create-home"
                    + " --shell /usr/sbin/nologin " + RemoteLayout.SERVICE_USER);
            s.add("if systemctl is-active --quiet " + RemoteLayout.UNIT + "; then systemctl stop " + RemoteLayout.UNIT + "; echo stopped=" + RemoteLayout.UNIT + "; fi");
        }
        s.addAll(List.of(
                "PID=$(cat \"$D/mailwright.pid\" 2>/dev/null || true)",
                "if [ -n \"$PID\" ] && kill -0 \"$PID\" 2>/dev/null; then",
                "  kill -TERM \"$PID\"; i=0",
                "  while kill -0 \"$PID\" 2>/dev/null; do",
                "    i=$((i+1)); if [ $i -gt 600 ]; then echo \"the running engine (pid $PID) did not stop within 60 s after SIGTERM; look at $D/mailwright.out\" >&2; exit 3; fi",
                "    sleep 0.1",
                "  done",
                "  echo stopped=$PID",
                "fi",
                "rm -f \"$D/mailwright.pid\"",
                "mv -f \"$S/mailwright.jar\" \"$D/mailwright.jar\"",
                "cd \"$S/data\"",
                "find . -type f | while IFS= read -r f; do mkdir -p \"$D/data/$(dirname \"$f\")\"; mv -f \"$f\" \"$D/data/$f\"; done",
                "cd /"));
        if (mode == ServiceMode.SYSTEMD) {
            s.add("mv -f \"$S/" + RemoteLayout.UNIT + "\" " + RemoteLayout.UNIT_PATH);
            s.add("rm -rf \"$S\"");
            s.add("chown -R " + RemoteLayout.SERVICE_USER + ":" + RemoteLayout.SERVICE_USER + " \"$D/data\"");
            s.add("systemctl daemon-reload");
            s.add("systemctl enable --quiet " + RemoteLayout.UNIT);
            s.add("systemctl restart " + RemoteLayout.UNIT);
        } else {
            s.add("rm -rf \"$S\"");
            s.add("cd \"$D\"");
            // setsid: the engine must not die with the SSH session that started it.
            s.add("if command -v setsid >/dev/null 2>&1; then setsid nohup \"$J\" -jar \"$D/mailwright.jar\" --data \"$D/data\" serve </dev/null >>\"$D/mailwright.out\" 2>&1 &"
                    + " else nohup \"$J\" -jar \"$D/mailwright.jar\" --data \"$D/data\" serve </dev/null >>\"$D/mailwright.out\" 2>&1 & fi");
            s.add("echo $! > \"$D/mailwright.pid\"");
            s.add("echo started=$!");
        }
        return String.join("\n", s) + "\n";
    }

    /** Reads the greeting of the first plain/STARTTLS listener through the SSH connection, waiting for the JVM to start. */
    private String verifyBanner(SshConnection ssh, Config config, RemoteLayout layout, ServiceMode mode, Progress progress)
            throws IOException, DeployException {
        Config.Listener l = config.listeners().stream().filter(x -> x.tls() != Config.ListenerTls.IMPLICIT).findFirst()
                .orElse(config.listeners().get(0));
        String host = isWildcard(l.address()) ? (l.address().equals("::") ? "::1" : "127.0.0.1") : l.address();
        progress.step(Step.VERIFY, "Connecting to " + host + ":" + l.port() + " on the remote host, through SSH …");
        Instant deadline = Instant.now().plus(BANNER_WAIT);
        String lastError = "";
        Instant nextAliveCheck = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            if (l.tls() != Config.ListenerTls.IMPLICIT) {
                try (SshConnection.Tunnel t = ssh.connectThere(host, l.port())) {
                    String line = readLine(t.in());
                    t.out().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    t.out().flush();
                    if (line.startsWith("220")) return line;
                    lastError = "unexpected greeting: " + line;
                } catch (IOException e) {
                    lastError = e.getMessage();
                }
            } else {
                return "(implicit TLS only; greeting not checked)";
            }
            if (mode == ServiceMode.NOHUP && Instant.now().isAfter(nextAliveCheck)) {
                nextAliveCheck = Instant.now().plusSeconds(10);
                SshConnection.Result alive = ssh.exec("kill -0 $(cat " + Shell.quote(layout.pidFile()) + ") 2>/dev/null", Duration.ofSeconds(20));
                if (!alive.ok()) break;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployException("interrupted while waiting for the remote engine");
            }
        }
        String logCmd = mode == ServiceMode.SYSTEMD ? "journalctl -u " + RemoteLayout.UNIT + " -n 20 --no-pager" : "tail -n 20 " + Shell.quote(layout.outFile());
        String log = ssh.exec(logCmd + " 2>&1", Duration.ofSeconds(20)).out().strip();
        throw new DeployException("the engine on " + request.target().host() + " does not answer on " + host + ":" + l.port()
                + " (" + lastError + "); its last output:\n" + log + "\n— look at `" + logCmd + "` on the server");
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            if (c != '\r') b.append((char) c);
            if (b.length() > 512) break;
        }
        if (b.length() == 0) throw new IOException("connection closed without a greeting");
        return b.toString();
    }

    private void checkCancel(String staging, SshConnection ssh) throws DeployException {
        if (!cancelled.get()) return;
        if (staging != null) removeStaging(ssh, staging);
        throw new DeployException.Cancelled("deploy to " + request.target() + " cancelled; the remote host was left as it was");
    }

    private static void removeStaging(SshConnection ssh, String staging) {
        try {
            ssh.exec("rm -rf " + Shell.quote(staging), Duration.ofSeconds(30));
        } catch (IOException ignored) {
            // the connection is gone; the staging dir is a dot-dir the next deploy ignores
        }
    }

    /** The jar this program runs from (what gets deployed). */
    public static Path runningJar() throws DeployException {
        try {
            Path p = Path.of(Deployment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) return p;
            throw new DeployException("not running from mailwright.jar (but from " + p + ") — build it with `mvn package` and run"
                    + " `java -jar target/mailwright.jar deploy …`, or pass --jar");
        } catch (URISyntaxException | SecurityException e) {
            throw new DeployException("cannot find the running jar — pass --jar target/mailwright.jar");
        }
    }
}
