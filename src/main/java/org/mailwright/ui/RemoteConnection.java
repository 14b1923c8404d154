package org.mailwright.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import org.mailwright.deploy.DeployException;
import org.mailwright.deploy.HostKeys;
import org.mailwright.deploy.RemoteAttach;
import org.mailwright.deploy.SshTarget;

/** What "Connect to remote…" asks for: where the deployed engine is and how to reach it over SSH. */
public record RemoteConnection(String target, String identity, String remoteDir, String knownHosts) {
    /** The dialog's starting values: the deploy's default remote dir (empty) and the user's known_hosts. */
    public static RemoteConnection defaults() {
        return new RemoteConnection("", defaultIdentity().map(Path::toString).orElse(""), "", HostKeys.defaultFile().toString());
    }

    /** The key ssh would try first: ~/.ssh/id_ed25519, else id_ecdsa, else id_rsa; empty when there is none. */
    public static java.util.Optional<Path> defaultIdentity() {
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        return java.util.stream.Stream.of("id_ed25519", "id_ecdsa", "id_rsa").map(ssh::resolve).filter(Files::exists).findFirst();
    }

    public SshTarget sshTarget() {
        return SshTarget.parse(target);
    }

    /** Connects (call off the FX thread); errors say what to do, an unknown host key how to trust it. */
    public RemoteAttach open() throws DeployException {
        SshTarget t;
        try {
            t = sshTarget();
        } catch (IllegalArgumentException e) {
            throw new DeployException(e.getMessage());
        }
        Path id = identity == null || identity.isBlank() ? null : Path.of(identity.strip());
        if (id != null && !Files.isReadable(id)) {
            throw new DeployException("the identity key " + id + " cannot be read — choose the private key that logs in to " + t);
        }
        Path known = knownHosts == null || knownHosts.isBlank() ? null : Path.of(knownHosts.strip());
        try {
            return RemoteAttach.open(t, id, null, known, remoteDir == null ? "" : remoteDir.strip());
        } catch (DeployException e) {
            String m = e.getMessage();
            String cli = "run again with --accept-host-key ";
            int at = m == null ? -1 : m.indexOf(cli);
            if (at < 0 || m.contains("CHANGED")) throw e;
            // The app attaches only to hosts whose key is recorded: a deploy records it after the user confirmed it.
            String fingerprint = m.substring(at + cli.length()).split("\\s")[0];
            throw new DeployException(m.substring(0, at) + "record it once with `mailwright deploy " + t + " --accept-host-key "
                    + fingerprint + "` (or `ssh -p " + t.port() + " " + t.user() + "@" + t.host() + "` and answer yes), then connect again", e);
        }
    }
}
