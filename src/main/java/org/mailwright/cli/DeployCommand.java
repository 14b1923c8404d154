package org.mailwright.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mailwright.admin.Deploy;
import org.mailwright.deploy.DeployException;
import org.mailwright.deploy.Deployment;
import org.mailwright.deploy.HostKeys;
import org.mailwright.deploy.SshTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Push the engine and its data to a remote host over SSH and run it there (systemd service when"
                + " possible). Deploying again upgrades in place; the remote queue and mailboxes are kept. The new release"
                + " is checked there first (config check, every port bindable) and greeted on every listener after the"
                + " start; if it does not come up, the previous release is restored and started again, and deploy exits 1."})
public final class DeployCommand implements Callable<Integer> {
    @Parameters(paramLabel = "USER@HOST[:PORT]") String target;
    @Option(names = "--identity", paramLabel = "KEY", description = "SSH private key (default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa)") Path identity;
    @Option(names = "--remote-dir", paramLabel = "DIR", description = "Where it lives there (default: /opt/mailwright as root, else ~/mailwright)") String remoteDir;
    @Option(names = "--accept-host-key", paramLabel = "SHA256:…", description = "Trust a host not yet in known_hosts whose key has this fingerprint") String acceptHostKey;
    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default: ~/.ssh/known_hosts)") Path knownHosts;
    @Option(names = "--jar", paramLabel = "FILE", description = "The mailwright.jar to deploy (default: the one running)") Path jar;

    @Override
    public Integer call() {
        SshTarget t;
        try {
            t = SshTarget.parse(target);
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        }
        Deploy deployment = new Deploy(new Deployment.Request(t, identity, null, remoteDir,
                knownHosts == null ? HostKeys.defaultFile() : knownHosts, acceptHostKey, DataDir.path(), jar));
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        // Ctrl-C: cancel, and let the deploy remove what it uploaded before the JVM exits.
        Thread ctrlC = new Thread(() -> {
            if (deployment.cancel()) System.err.println("mailwright: cancelling; removing what was uploaded …");
            try {
                finished.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "deploy-cancel");
        Runtime.getRuntime().addShutdownHook(ctrlC);
        try {
            Deployment.Report r = deployment.run((step, message) -> System.out.println("[" + step.title + "] " + message));
            System.out.println((r.upgrade() ? "Upgraded" : "Deployed") + " Mailwright on " + r.target() + " in " + r.remoteDir()
                    + (r.mode() == Deployment.ServiceMode.SYSTEMD ? " (systemd service mailwright.service)" : " (nohup, pid file " + r.remoteDir() + "/mailwright.pid)"));
            r.notes().forEach(n -> System.out.println("Note: " + n));
            return 0;
        } catch (DeployException e) {
            throw new Failure(e.getMessage());
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(ctrlC);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping: the hook ran
            }
        }
    }
}
