package org.mailwright.cli;

import java.nio.file.Path;
import org.mailwright.deploy.DeployException;
import org.mailwright.deploy.RemoteAttach;
import org.mailwright.deploy.SshTarget;
import picocli.CommandLine.Option;

/** {@code --remote USER@HOST[:PORT]}: act on a deployed engine over SSH instead of the local one. */
final class RemoteOptions {
    @Option(names = "--remote", paramLabel = "USER@HOST[:PORT]", description = "The engine deployed on this host (over SSH)") String remote;
    @Option(names = "--remote-dir", paramLabel = "DIR", description = "Its directory there (default: as deploy)") String remoteDir;
    @Option(names = "--identity", paramLabel = "KEY", description = "SSH private key") Path identity;
    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default: ~/.ssh/known_hosts)") Path knownHosts;

    boolean active() {
        return remote != null;
    }

    RemoteAttach attach() {
        try {
            return RemoteAttach.open(SshTarget.parse(remote), identity, null, knownHosts, remoteDir);
        } catch (IllegalArgumentException | DeployException e) {
            throw new Failure(e.getMessage());
        }
    }
}
