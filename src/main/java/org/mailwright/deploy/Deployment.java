package org.mailwright.deploy;

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
import java.util.concurrent.atomic.AtomicBoolean;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;

/**
 * One deploy of the local engine and its data to a remote host over SSH. The GUI's Deploy view and
 * {@code mailwright deploy} both run this: {@link #run(Progress)} on a worker thread, {@link #cancel()} from any thread.
 * What the release holds and whether the host can take it is planned by {@link ReleasePlan}; this class carries the plan
 * out (upload, check there, switch, health-check, roll back) with the shell of {@link ReleaseScripts}.
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
        VERIFY("Check the SMTP greeting on every listener"),
        /** Only when the new engine did not come up. */
        ROLLBACK("Restore the previous release");

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
        ReleasePlan plan = new ReleasePlan(request.target(), request.dataDir());
        ServiceMode mode = plan.preflight(facts, config, layout, Files.size(jar), progress, notes);
        boolean upgrade = facts.dirExists();

        String staging = layout.staging(HexFormat.of().formatHex(new SecureRandom().generateSeed(6)));
        try {
            checkCancel(null, ssh);
            progress.step(Step.UPLOAD, "Uploading to " + staging + " (nothing in " + layout.dir() + " changes yet)");
            List<ReleasePlan.Upload> uploads = plan.manifest(config, jar, layout, facts, mode);
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
            checkBindable(ssh, staging, config, facts, progress);
            checkCancel(staging, ssh);
        } catch (IOException | DeployException | RuntimeException e) {
            removeStaging(ssh, staging);
            throw e;
        }

        committing = true;
        progress.step(Step.INSTALL, (facts.engineRunning() ? "Stopping the running engine (SIGTERM), then moving" : "Moving")
                + " the new files into " + layout.dir() + " (the replaced ones wait in " + layout.previous() + ")"
                + (mode == ServiceMode.SYSTEMD ? " and (re)starting " + RemoteLayout.UNIT : " and starting the engine with " + ReleaseScripts.LAUNCHER));
        SshConnection.Result install = ssh.exec("sh -s", ReleaseScripts.install(layout, staging, mode).getBytes(StandardCharsets.UTF_8),
                Duration.ofMinutes(3));
        Started started = Started.parse(install.out());
        for (String pid : started.stopped()) progress.step(Step.INSTALL, "Stopped the previous engine (" + (pid.contains(".") ? pid : "pid " + pid) + ") cleanly");
        if (!install.ok()) {
            removeStaging(ssh, staging);
            throw rollBack(ssh, config, layout, mode, facts, "installing failed: " + install.complaint(), progress);
        }
        if (mode == ServiceMode.SYSTEMD) {
            progress.step(Step.INSTALL, RemoteLayout.UNIT + " installed, enabled and started (ExecStart has the options of " + JvmOptions.FILE_NAME + ")");
        } else {
            progress.step(Step.INSTALL, "Started the engine, pid " + started.pid() + " (pid file " + layout.pidFile() + ")");
        }

        List<String> banners;
        try {
            banners = new HealthCheck(ssh, layout, mode, request.target().host()).awaitAll(endpoints(config.listeners()), config.hostname(),
                    started, BANNER_WAIT, m -> progress.step(Step.VERIFY, m));
        } catch (HealthCheck.Unhealthy e) {
            throw rollBack(ssh, config, layout, mode, facts, e.getMessage(), progress);
        }
        ssh.exec(ReleaseScripts.commit(layout), Duration.ofSeconds(30));
        progress.step(Step.VERIFY, "The engine on " + request.target().host() + " answers on every listener; " + layout.previous() + " removed");
        return new Report(request.target(), layout.dir(), mode, upgrade, banners.get(0), List.copyOf(notes));
    }

    /** A listener to health-check: where, and whether it speaks TLS from the first byte. */
    record Endpoint(String address, int port, Boolean implicitTls) {
        String connectHost() {
            return RemoteFacts.Listening.isWildcard(address) ? (address.equals("::") ? "::1" : "127.0.0.1") : address;
        }
    }

    private static List<Endpoint> endpoints(List<Config.Listener> listeners) {
        return listeners.stream().map(l -> new Endpoint(l.address(), l.port(), l.tls() == Config.ListenerTls.IMPLICIT)).toList();
    }

    /** What the install or rollback script printed: stopped=…, started=…, and where this start's output begins. */
    record Started(List<String> stopped, String pid, long outFrom, long since) {
        static Started parse(String out) {
            List<String> stopped = new ArrayList<>();
            String pid = "";
            long outFrom = 1, since = 0;
            for (String line : out.split("\n")) {
                if (line.startsWith("stopped=")) stopped.add(line.substring(8).strip());
                if (line.startsWith("started=")) pid = line.substring(8).strip();
                if (line.startsWith("outfrom=")) outFrom = Long.parseLong(line.substring(8).strip());
                if (line.startsWith("since=")) since = Long.parseLong(line.substring(6).strip());
            }
            return new Started(stopped, pid, outFrom, since);
        }
    }

    /**
     * The new engine did not come up: stop it, put the previous release back and start it again, check that it
     * answers, and say all of that in the exception deploy ends with.
     */
    private DeployException rollBack(SshConnection ssh, Config config, RemoteLayout layout, ServiceMode mode, RemoteFacts facts, String cause, Progress progress) {
        String host = request.target().host();
        progress.step(Step.ROLLBACK, "The new release did not come up (" + cause + "); putting the previous one back …");
        try {
            SshConnection.Result r = ssh.exec("sh -s", ReleaseScripts.rollback(layout, mode, facts.javaPath()).getBytes(StandardCharsets.UTF_8),
                    Duration.ofMinutes(3));
            Started again = Started.parse(r.out());
            if (!r.ok()) {
                return new DeployException("the new release did not come up on " + host + ": " + cause + "; putting the previous release back failed too ("
                        + r.complaint() + ") — look at " + layout.previous() + " on the server");
            }
            if (r.out().contains("restored=none") || !facts.engineRunning()) {
                return new DeployException("the new release did not come up on " + host + ": " + cause + "; it was stopped again"
                        + (facts.dirExists() ? " and the files it replaced were put back" : " and its files removed")
                        + " (no engine ran there before, so none runs now) — fix it here, then deploy again");
            }
            // The old engine's sockets; whether one speaks TLS at once is known when the new config kept the port, else found out.
            List<Endpoint> old = facts.engineListening().stream().distinct().map(s -> new Endpoint(s.address(), s.port(),
                    config.listeners().stream().filter(l -> l.port() == s.port()).findFirst()
                            .map(l -> l.tls() == Config.ListenerTls.IMPLICIT).orElse(null))).toList();
            String answer = "";
            if (!old.isEmpty()) {
                try {
                    List<String> banners = new HealthCheck(ssh, layout, mode, host).awaitAny(old, again, BANNER_WAIT, m -> progress.step(Step.ROLLBACK, m));
                    answer = " (it answers: " + banners.get(0) + ")";
                } catch (HealthCheck.Unhealthy e) {
                    return new DeployException("the new release did not come up on " + host + ": " + cause
                            + "; the previous release was restored but does not answer either: " + e.getMessage());
                }
            }
            progress.step(Step.ROLLBACK, "The previous release is back and running" + answer);
            return new DeployException(cause + "; the previous release was restored and is running" + answer
                    + " — fix the configuration here, then deploy again");
        } catch (IOException e) {
            return new DeployException("the new release did not come up on " + host + ": " + cause + "; putting the previous release back failed: "
                    + e.getMessage() + " — " + layout.previous() + " on the server holds it");
        }
    }

    /**
     * Before anything changes there: can every listener be bound on the remote host? Runs {@link BindCheck} from the
     * staged jar (as the user the engine will run as, or root for the service, which gets CAP_NET_BIND_SERVICE). A
     * port in use is fine only when the running Mailwright holds it.
     */
    private void checkBindable(SshConnection ssh, String staging, Config config, RemoteFacts facts, Progress progress) throws IOException, DeployException {
        StringBuilder cmd = new StringBuilder(Shell.quote(facts.javaPath()) + " -cp " + Shell.quote(staging + "/mailwright.jar") + " " + BindCheck.class.getName());
        for (Config.Listener l : config.listeners()) cmd.append(' ').append(Shell.quote(l.address())).append(' ').append(l.port());
        SshConnection.Result r = ssh.exec(cmd.toString(), Duration.ofMinutes(1));
        if (!r.ok()) throw new IOException("the port check did not run there: " + r.complaint());
        List<String> problems = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            String[] w = line.strip().split(" ", 4);
            if (w.length < 3) continue;
            int port = Integer.parseInt(w[2]);
            String why = w.length > 3 ? w[3] : "";
            boolean engineHolds = facts.engineRunning() && (facts.engineListening().isEmpty() || facts.heldByEngine(w[1], port));
            switch (w[0]) {
                case "ok" -> progress.step(Step.VALIDATE, "Port " + port + " on " + w[1] + " can be bound: ok");
                case "inuse" -> {
                    if (engineHolds) progress.step(Step.VALIDATE, "Port " + port + " on " + w[1] + " is held by the running Mailwright: ok");
                    else problems.add("port " + port + " on " + w[1] + " could not be bound: " + why + " (another program holds it — `ss -ltnp` names it)");
                }
                default -> problems.add("port " + port + " on " + w[1] + " could not be bound: " + why
                        + (why.contains("assign") ? " (the address is not on any interface of " + request.target().host() + ")" : ""));
            }
        }
        if (!problems.isEmpty()) {
            throw new DeployException(String.join("; ", problems) + " — change [[listen]] in mailwright.conf, then deploy again"
                    + " (nothing was changed on " + request.target().host() + "; " + (facts.engineRunning() ? "the running engine was left alone" : "no engine runs there") + ")");
        }
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

    /**
     * Sends every file as one tar stream into the staging directory ({@code umask 077}, then each file's own mode),
     * checking for a cancel between chunks.
     */
    private void upload(SshConnection ssh, String staging, List<ReleasePlan.Upload> uploads, Progress progress) throws IOException, DeployException {
        StringBuilder cmd = new StringBuilder("umask 077 && mkdir -p " + Shell.quote(staging) + " && tar -x -f - -C " + Shell.quote(staging));
        for (ReleasePlan.Upload u : uploads) cmd.append(" && chmod ").append(u.mode()).append(' ').append(Shell.quote(staging + "/" + u.remoteName()));
        long now = Instant.now().getEpochSecond();
        SshConnection.Result r = ssh.execFeeding(cmd.toString(), stdin -> {
            TarStream tar = new TarStream(stdin);
            byte[] buf = new byte[64 * 1024];
            for (ReleasePlan.Upload u : uploads) {
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
