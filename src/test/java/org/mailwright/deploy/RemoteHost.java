package org.mailwright.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mailwright.testing.Peers;

/**
 * The server of the remote tests: a real OpenSSH server on a loopback address ({@link SshServer}) and the engine a
 * test deploys there from a desk. All of it lives under the test's temp directory: {@code sshd/}, the remote dir
 * {@code remote/mailwright} and the {@code known_hosts} the deploy records the host key in. Closing stops the
 * deployed engine, then sshd.
 */
public final class RemoteHost implements AutoCloseable {
    public final SshServer ssh;
    public final Path remoteDir;
    public final Path knownHosts;
    private final Path tmp;

    private RemoteHost(SshServer ssh, Path tmp) {
        this.ssh = ssh;
        this.tmp = tmp;
        this.remoteDir = tmp.resolve("remote").resolve("mailwright");
        this.knownHosts = tmp.resolve("known_hosts");
    }

    /** sshd on {@code address}; nothing deployed yet. */
    public static RemoteHost start(Path tmp, String address) throws IOException, InterruptedException {
        return new RemoteHost(SshServer.start(tmp.resolve("sshd"), address), tmp);
    }

    /** Deploys the desk's engine here as {@code mailwright deploy} does, the host key accepted by its fingerprint. */
    public void deploy(Path desk) throws IOException, InterruptedException, DeployException {
        new Deployment(new Deployment.Request(ssh.target(), ssh.clientKey, null, remoteDir.toString(), knownHosts,
                ssh.fingerprint(), desk, SshServer.jarToDeploy(tmp))).run(Deployment.Progress.NONE);
    }

    /** The command line of {@code mailwright ARGS} with {@code --remote} and its options: it acts on the deployed engine. */
    public List<String> cli(Path data, String... args) {
        List<String> remote = new ArrayList<>(List.of(args));
        remote.addAll(List.of("--remote", ssh.target().toString(), "--identity", ssh.clientKey.toString(),
                "--known-hosts", knownHosts.toString(), "--remote-dir", remoteDir.toString()));
        return Peers.mailwright(data, remote.toArray(String[]::new));
    }

    /** A connection to the deployed engine, as the admin layer and the GUI open one. */
    public RemoteAttach attach() throws DeployException {
        return RemoteAttach.open(ssh.target(), ssh.clientKey, null, knownHosts, remoteDir.toString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            SshServer.stopDeployedEngine(remoteDir);
        } finally {
            ssh.close();
        }
    }
}
