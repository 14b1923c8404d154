package org.mailwright.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * "Connect to remote": one SSH connection to a deployed engine, from which the GUI's Queue view
 * ({@link #queue()}) and Maillog view ({@link #tailMaillog}) work. Host keys must already be known
 * (a deploy records them); nothing but SSH is used.
 */
public final class RemoteAttach implements AutoCloseable {
    private final SshConnection ssh;
    private final RemoteLayout layout;

    private RemoteAttach(SshConnection ssh, RemoteLayout layout) {
        this.ssh = ssh;
        this.layout = layout;
    }

    /** {@code remoteDir} empty: the deploy's default (/opt/mailwright for root, else ~/mailwright). */
    public static RemoteAttach open(SshTarget target, Path identity, String password, Path knownHosts, String remoteDir)
            throws DeployException {
        SshConnection ssh = SshConnection.open(target, identity, password,
                new HostKeys(knownHosts == null ? HostKeys.defaultFile() : knownHosts, target, ""));
        try {
            RemoteLayout layout;
            if (remoteDir != null && !remoteDir.isBlank()) {
                layout = new RemoteLayout(remoteDir);
            } else {
                SshConnection.Result who = ssh.exec("id -u; echo \"$HOME\"", Duration.ofSeconds(30));
                String[] l = who.out().strip().split("\n");
                layout = RemoteLayout.defaultFor(Integer.parseInt(l[0].trim()), l[1].trim());
            }
            SshConnection.Result there = ssh.exec("test -f " + Shell.quote(layout.jar()), Duration.ofSeconds(30));
            if (!there.ok()) {
                throw new DeployException("no Mailwright is deployed in " + layout.dir() + " on " + target
                        + " — deploy first (`mailwright deploy " + target + "`) or give --remote-dir");
            }
            return new RemoteAttach(ssh, layout);
        } catch (IOException | RuntimeException e) {
            ssh.close();
            throw new DeployException("cannot attach to " + target + ": " + e.getMessage(), e);
        } catch (DeployException e) {
            ssh.close();
            throw e;
        }
    }

    public RemoteQueueControl queue() {
        return new RemoteQueueControl(ssh, layout);
    }

    public MaillogTail tailMaillog(int backlog, Consumer<String> lines) throws IOException {
        return MaillogTail.follow(ssh, layout, backlog, lines);
    }

    public RemoteLayout layout() {
        return layout;
    }

    /** For callers that need another remote command (tests, the GUI's "remote status"). */
    public SshConnection ssh() {
        return ssh;
    }

    @Override
    public void close() {
        ssh.close();
    }
}
