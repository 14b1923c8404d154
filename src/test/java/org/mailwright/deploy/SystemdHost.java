package org.mailwright.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/**
 * A host whose PID 1 is a real systemd: the Debian root of {@code .ci/systemd-root.sh} (debootstrap, cached under
 * /var/cache/mailwright-test-root), booted with {@code unshare --pid --fork --mount --uts --ipc --mount-proc chroot
 * ROOT /lib/systemd/systemd --system} (with ROOT bind-mounted onto itself in that mount namespace). It shares this machine's network, so its sshd (a unit of its own) listens only
 * on a loopback address and a free port. {@link #close()} kills that PID 1 from outside, which ends everything in it.
 */
final class SystemdHost implements AutoCloseable {
    static final Path ROOT = Path.of("/var/cache/mailwright-test-root");

    final Path root;
    final String address;
    final int port;
    final Path clientKey;
    final Path hostKeyPub;
    final Duration buildTime;
    final Duration bootTime;
    private final Process unshare;

    private SystemdHost(Path root, String address, int port, Path clientKey, Path hostKeyPub, Duration buildTime, Duration bootTime, Process unshare) {
        this.root = root;
        this.address = address;
        this.port = port;
        this.clientKey = clientKey;
        this.hostKeyPub = hostKeyPub;
        this.buildTime = buildTime;
        this.bootTime = bootTime;
        this.unshare = unshare;
    }

    /** Builds the root when it is not cached (fails loudly when debootstrap cannot reach the mirror), then boots it. */
    static SystemdHost boot(Path work, String address) throws IOException, InterruptedException {
        Instant t0 = Instant.now();
        Path script = Path.of(".ci", "systemd-root.sh").toAbsolutePath();
        Peers.Result built = Peers.run(List.of("bash", script.toString(), ROOT.toString()), null, 1800);
        if (built.exit() != 0) {
            throw new AssertionError("the Debian root for the systemd deploy test could not be built (" + script + "):\n" + built.out());
        }
        Duration buildTime = Duration.between(t0, Instant.now());
        Path root = ROOT;

        // sshd inside, as a unit of the booted systemd, on loopback only; keys made fresh for every run.
        Path t = root.resolve("etc/mailwright-test");
        Files.createDirectories(t);
        String keygen = Peers.require("ssh-keygen", "openssh-client");
        Files.createDirectories(work);
        Path clientKey = work.resolve("id_ed25519");
        Path hostKey = t.resolve("ssh_host_ed25519_key");
        for (Path k : List.of(hostKey, clientKey, hostKey.resolveSibling("ssh_host_ed25519_key.pub"), clientKey.resolveSibling("id_ed25519.pub"))) {
            Files.deleteIfExists(k);
        }
        for (Path k : List.of(hostKey, clientKey)) {
            Peers.Result r = Peers.run(List.of(keygen, "-q", "-t", "ed25519", "-N", "", "-C", "systemd-deploy-test", "-f", k.toString()), null, 30);
            if (r.exit() != 0) throw new AssertionError("ssh-keygen: " + r.out());
        }
        Files.copy(clientKey.resolveSibling("id_ed25519.pub"), t.resolve("authorized_keys"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        int port = TestData.freePort();
        Files.writeString(t.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress " + address,
                "HostKey /etc/mailwright-test/ssh_host_ed25519_key",
                "AuthorizedKeysFile /etc/mailwright-test/authorized_keys",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "AllowTcpForwarding yes",
                ""));
        Files.writeString(root.resolve("etc/systemd/system/mailwright-test-sshd.service"), String.join("\n",
                "[Unit]",
                "Description=sshd of the deploy test, on " + address + " only (the host network is shared)",
                "[Service]",
                "ExecStart=/usr/sbin/sshd -D -e -f /etc/mailwright-test/sshd_config",
                "RuntimeDirectory=sshd",
                "[Install]",
                "WantedBy=multi-user.target",
                ""));
        Path wants = root.resolve("etc/systemd/system/multi-user.target.wants");
        Files.createDirectories(wants);
        Files.deleteIfExists(wants.resolve("mailwright-test-sshd.service"));
        Files.createSymbolicLink(wants.resolve("mailwright-test-sshd.service"), Path.of("/etc/systemd/system/mailwright-test-sshd.service"));
        // A previous run's deploy: every run starts from a host that never saw Mailwright.
        Peers.run(List.of("rm", "-rf", root.resolve("opt/mailwright").toString(), root.resolve("etc/systemd/system/mailwright.service").toString(),
                root.resolve("etc/systemd/system/multi-user.target.wants/mailwright.service").toString()), null, 60);

        Instant t1 = Instant.now();
        // The root bind-mounted onto itself first: systemd sets up a service's mount namespace (ProtectSystem, PrivateTmp …)
        // only when / is a mount point; a plain chroot directory gives "Failed to set up mount namespacing: Invalid argument".
        String r = root.toString();
        Process p = new ProcessBuilder(Peers.require("unshare", "util-linux"), "--pid", "--fork", "--mount", "--uts", "--ipc",
                "--mount-proc=" + root.resolve("proc"), "sh", "-c", "mount --rbind \"$1\" \"$1\" && exec chroot \"$1\" /lib/systemd/systemd --system", "sh", r)
                .redirectErrorStream(true).redirectOutput(work.resolve("systemd.log").toFile()).start();
        SystemdHost host = new SystemdHost(root, address, port, clientKey, hostKey.resolveSibling("ssh_host_ed25519_key.pub"), buildTime, null, p);
        Instant deadline = Instant.now().plusSeconds(120);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 500);
                break;
            } catch (IOException e) {
                if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                    host.close();
                    throw new AssertionError("systemd in " + root + " did not bring up its sshd on " + address + ":" + port + ": "
                            + Files.readString(work.resolve("systemd.log")));
                }
                Thread.sleep(100);
            }
        }
        return new SystemdHost(root, address, port, clientKey, host.hostKeyPub, buildTime, Duration.between(t1, Instant.now()), p);
    }

    SshTarget target() {
        return new SshTarget("root", address, port);
    }

    String fingerprint() throws IOException, InterruptedException {
        Peers.Result r = Peers.run(List.of(Peers.require("ssh-keygen", "openssh-client"), "-l", "-E", "sha256", "-f", hostKeyPub.toString()), null, 30);
        return r.out().split("\\s+")[1];
    }

    /** Kills the namespace's PID 1 (systemd) from outside: the kernel then kills every process in it. */
    @Override
    public void close() throws InterruptedException {
        unshare.children().forEach(ProcessHandle::destroyForcibly);
        unshare.destroyForcibly();
        unshare.waitFor(30, TimeUnit.SECONDS);
    }
}
