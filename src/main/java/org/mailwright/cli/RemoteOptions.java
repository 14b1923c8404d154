package org.mailwright.cli;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;
import org.mailwright.admin.Admin;
import org.mailwright.admin.AdminException;
import org.mailwright.admin.LocalAdmin;
import org.mailwright.admin.RemoteAdmin;
import org.mailwright.deploy.SshTarget;
import picocli.CommandLine.Option;

/**
 * {@code --remote USER@HOST[:PORT]} and its SSH options, a mixin of every administrative command: with it the
 * command acts on the engine deployed there ({@link RemoteAdmin}), without it on the local data directory.
 */
final class RemoteOptions {
    @Option(names = "--remote", paramLabel = "USER@HOST[:PORT]", description = "Act on the engine deployed on this host (over SSH)") String remote;
    @Option(names = "--remote-dir", paramLabel = "DIR", description = "Its directory there (default: as deploy)") String remoteDir;
    @Option(names = "--identity", paramLabel = "KEY", description = "SSH private key") Path identity;
    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default: ~/.ssh/known_hosts)") Path knownHosts;

    boolean active() {
        return remote != null;
    }

    /** " on HOST" for the line that says what was done remotely; nothing locally. */
    String where() {
        return active() ? " on " + remote : "";
    }

    /** One question to the admin layer, which is closed after it (and with it the SSH connection). */
    <T> T ask(Function<Admin, T> question) {
        try (Admin admin = admin()) {
            return question.apply(admin);
        }
    }

    /** One change through the admin layer, which is closed after it. */
    void change(Consumer<Admin> change) {
        try (Admin admin = admin()) {
            change.accept(admin);
        }
    }

    /** The admin layer for this invocation; the caller closes it (which closes the SSH connection). */
    Admin admin() {
        if (!active()) return new LocalAdmin(DataDir.path());
        SshTarget target;
        try {
            target = SshTarget.parse(remote);
        } catch (IllegalArgumentException e) {
            throw new Failure("--remote: " + e.getMessage());
        }
        return RemoteAdmin.open(target, identity, knownHosts, remoteDir);
    }
}
