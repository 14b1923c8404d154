package org.mailwright.admin;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwright.deploy.DeployException;
import org.mailwright.deploy.Deployment;
import org.mailwright.deploy.HostKeys;
import org.mailwright.deploy.SshConnection;
import org.mailwright.deploy.SshTarget;

/**
 * Deploy as an administrative operation: {@code mailwright deploy} and the app's deploy page both go through here.
 * It runs {@link Deployment} (its steps, its cancel), asks a server for its host key before the user trusts it, and
 * remembers a server that was deployed to in the data directory's server list ({@link Servers}).
 */
public final class Deploy {

    /**
     * What the server offers as its host key. {@code known}: the key is in known_hosts already (nothing to confirm).
     * {@code keyFile}: the server's public key file to compare with ({@code /etc/ssh/ssh_host_ed25519_key.pub}).
     * {@code login}: when the key was known, whether the login with the key worked (empty) or why not.
     */
    public record HostKey(SshTarget target, String fingerprint, boolean known, String keyFile, Path knownHosts, String login) {
        /** What to tell the user before they trust the key. */
        public String compareHint() {
            return "compare it with `ssh-keygen -lf " + keyFile + "` on the server";
        }
    }

    private static final Pattern KEY_FILE = Pattern.compile("(/etc/ssh/ssh_host_\\w+_key\\.pub)");

    private final Deployment.Request request;
    private final Deployment deployment;

    public Deploy(Deployment.Request request) {
        this.request = request;
        this.deployment = new Deployment(request);
    }

    /**
     * Runs the deploy on this thread, reporting each step; on success the server goes into the data directory's
     * server list (a list that cannot be written does not fail a deploy that worked).
     */
    public Deployment.Report run(Deployment.Progress progress) throws DeployException {
        Deployment.Report report = deployment.run(progress);
        try {
            Servers.in(request.dataDir()).deployed(request.target().toString(), request.identity(), request.remoteDir(), request.knownHosts());
        } catch (java.io.IOException | RuntimeException e) {
            progress.step(Deployment.Step.VERIFY, "Could not remember " + request.target() + " in " + Servers.FILE_NAME + ": " + e.getMessage());
        }
        return report;
    }

    /** See {@link Deployment#cancel()}: false when it is too late (the install started; it finishes or rolls back). */
    public boolean cancel() {
        return deployment.cancel();
    }

    /**
     * Connects only as far as the host key (call off the FX thread): the SHA256 fingerprint the server offers and
     * whether known_hosts has it. A key that differs from the recorded one is refused with OpenSSH's warning; a
     * host that cannot be reached fails with what to check.
     */
    public static HostKey probeHostKey(SshTarget target, Path identity, Path knownHosts) throws DeployException {
        Path file = knownHosts == null ? HostKeys.defaultFile() : knownHosts;
        HostKeys keys = new HostKeys(file, target, "");
        String login = "";
        try (SshConnection ignored = SshConnection.open(target, identity, null, keys)) {
            // known and logged in: nothing more to learn here
        } catch (DeployException e) {
            switch (keys.verdict()) {
                case UNKNOWN -> {
                    return new HostKey(target, keys.offeredFingerprint(), false, keyFile(e.getMessage()), file, "");
                }
                case KNOWN -> login = e.getMessage(); // the key is fine; the login is not (said now, not after a deploy starts)
                default -> throw e; // CHANGED (the warning), or no answer at all
            }
        }
        return new HostKey(target, keys.offeredFingerprint(), true, "/etc/ssh/ssh_host_ed25519_key.pub", file, login);
    }

    private static String keyFile(String refusal) {
        Matcher m = KEY_FILE.matcher(refusal == null ? "" : refusal);
        return m.find() ? m.group(1) : "/etc/ssh/ssh_host_ed25519_key.pub";
    }
}
