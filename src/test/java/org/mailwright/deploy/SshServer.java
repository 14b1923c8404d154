package org.mailwright.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.mailwright.testing.PeerProcess;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/**
 * A real OpenSSH server (Debian openssh-server) on a loopback address and a free port, with its own host key,
 * authorized_keys and pid file: the "remote host" of the deploy tests.
 */
public final class SshServer implements AutoCloseable {
    public final String address;
    public final int port;
    public final Path dir;
    public final Path clientKey;
    public final Path hostKeyPub;
    private final PeerProcess process;

    private SshServer(String address, int port, Path dir, Path clientKey, Path hostKeyPub, PeerProcess process) {
        this.address = address;
        this.port = port;
        this.dir = dir;
        this.clientKey = clientKey;
        this.hostKeyPub = hostKeyPub;
        this.process = process;
    }

    public static SshServer start(Path dir, String address) throws IOException, InterruptedException {
        String sshd = Peers.require("sshd", "openssh-server");
        String keygen = Peers.require("ssh-keygen", "openssh-client");
        Files.createDirectories(dir);
        Files.createDirectories(Path.of("/run/sshd")); // privilege separation dir sshd insists on
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        Path clientKey = dir.resolve("id_ed25519");
        for (Path k : List.of(hostKey, clientKey)) {
            Peers.Result r = Peers.run(List.of(keygen, "-q", "-t", "ed25519", "-N", "", "-C", "deploy-test", "-f", k.toString()), null, 30);
            if (r.exit() != 0) throw new AssertionError("ssh-keygen: " + r.out());
        }
        Files.copy(clientKey.resolveSibling("id_ed25519.pub"), dir.resolve("authorized_keys"));
        int port = TestData.freePort();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress " + address,
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PidFile " + dir.resolve("sshd.pid"),
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "AllowTcpForwarding yes",
                "") );
        PeerProcess p = PeerProcess.start("sshd on " + address + ":" + port, new ProcessBuilder(sshd, "-D", "-e", "-f", config.toString()),
                dir.resolve("sshd.log"), Duration.ofSeconds(20), PeerProcess.Ready.accepts(address, port));
        return new SshServer(address, port, dir, clientKey, hostKey.resolveSibling("ssh_host_ed25519_key.pub"), p);
    }

    /** The host key's fingerprint as OpenSSH itself prints it ({@code ssh-keygen -lf}). */
    public String fingerprint() throws IOException, InterruptedException {
        Peers.Result r = Peers.run(List.of(Peers.require("ssh-keygen", "openssh-client"), "-l", "-E", "sha256", "-f", hostKeyPub.toString()), null, 30);
        return r.out().split("\\s+")[1];
    }

    public SshTarget target() {
        return new SshTarget(System.getProperty("user.name"), address, port);
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }

    /**
     * Stops the engine a test deployed with a pid file under {@code remoteDir} (null or never deployed: nothing to
     * do), waiting up to 30 s for it to exit, so no engine outlives its test.
     */
    public static void stopDeployedEngine(Path remoteDir) throws IOException {
        Path pid = remoteDir == null ? null : remoteDir.resolve("mailwright.pid");
        if (pid == null || !Files.exists(pid)) return;
        ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(h -> {
            h.destroy();
            h.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        });
    }

    public static Duration timeout() {
        return Duration.ofSeconds(60);
    }

    /**
     * The shaded target/mailwright.jar when it is newer than the classes (CI builds it before the tests); otherwise a
     * jar whose manifest points at this test run's class path (the "remote" is this machine, so the paths resolve).
     */
    public static Path jarToDeploy(Path tmp) throws IOException {
        Path shaded = Path.of("target", "mailwright.jar").toAbsolutePath();
        Path classes = Path.of("target", "classes", "org", "mailwright", "deploy", "Deployment.class");
        if (Files.exists(shaded) && Files.exists(classes)
                && Files.getLastModifiedTime(shaded).compareTo(Files.getLastModifiedTime(classes)) >= 0) {
            return shaded;
        }
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.mailwright.Main");
        mf.getMainAttributes().put(Attributes.Name.CLASS_PATH, Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(p -> Path.of(p).toAbsolutePath().toUri().toString()).collect(Collectors.joining(" ")));
        Path jar = tmp.resolve("launcher").resolve("mailwright.jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.flush();
        }
        return jar;
    }
}
