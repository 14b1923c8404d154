package org.mailwright.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mailwright.admin.Deploy;
import org.mailwright.admin.Servers;
import org.mailwright.deploy.DeployException;
import org.mailwright.deploy.Deployment;
import org.mailwright.deploy.SshTarget;

/**
 * Deploying to a server, for the wizard's "Where will it run?" page and the Deploy dialog alike: where (target, key,
 * remote directory, known_hosts, or a remembered server), the server's host key to confirm, then the deploy's steps
 * with cancel. Everything that talks SSH runs in {@link BackgroundWork}; this model changes only on the FX thread.
 */
public final class DeployViewModel {

    /** How far a deploy step got. */
    public enum Mark {
        PENDING("○"), CURRENT("▶"), DONE("✓"), FAILED("✗");

        final String symbol;

        Mark(String symbol) {
            this.symbol = symbol;
        }
    }

    /** One line of the step list. */
    public record StepRow(Deployment.Step step, Mark mark) {
        @Override
        public String toString() {
            return mark.symbol + "  " + step.title;
        }
    }

    /**
     * The mailwright.jar to deploy; null: the jar this app runs from. Tests run from classes and set a jar here,
     * as {@code mailwright deploy --jar} does.
     */
    static volatile Path jar;

    private final AppContext context;
    final StringProperty target = new SimpleStringProperty("");
    final StringProperty identity = new SimpleStringProperty("");
    final StringProperty identityNote = new SimpleStringProperty("");
    final StringProperty remoteDir = new SimpleStringProperty("");
    final StringProperty knownHosts = new SimpleStringProperty("");
    final ObjectProperty<Deploy.HostKey> hostKey = new SimpleObjectProperty<>();
    final StringProperty hostKeyText = new SimpleStringProperty("");
    final BooleanProperty compared = new SimpleBooleanProperty(false);
    final BooleanProperty checking = new SimpleBooleanProperty(false);
    final BooleanProperty deploying = new SimpleBooleanProperty(false);
    final ObservableList<StepRow> steps = FXCollections.observableArrayList();
    final StringProperty lastMessage = new SimpleStringProperty("");
    final StringProperty problem = new SimpleStringProperty("");
    final ObservableList<Servers.Server> remembered = FXCollections.observableArrayList();
    private volatile Deploy running;

    public DeployViewModel(AppContext context) {
        this.context = context;
        RemoteConnection d = RemoteConnection.defaults();
        identity.set(d.identity());
        knownHosts.set(d.knownHosts());
        showIdentityNote();
        identity.addListener((o, a, b) -> showIdentityNote());
        // A key checked for one host says nothing about another: check again after a change.
        target.addListener((o, a, b) -> forgetHostKey());
        knownHosts.addListener((o, a, b) -> forgetHostKey());
        remembered.setAll(Servers.in(context.dataDir()).list());
        resetSteps();
    }

    private void showIdentityNote() {
        String id = identity.get() == null ? "" : identity.get().strip();
        if (id.isEmpty()) {
            identityNote.set(RemoteConnection.defaultIdentity().isPresent() ? ""
                    : "There is no SSH key in ~/.ssh (id_ed25519, id_ecdsa or id_rsa): choose one, or make one with `ssh-keygen -t ed25519`"
                    + " and put its .pub in ~/.ssh/authorized_keys on the server.");
        } else {
            identityNote.set(Files.isReadable(Path.of(id)) ? "" : "The key file " + id + " cannot be read: choose the private key that logs in to the server.");
        }
    }

    private void forgetHostKey() {
        hostKey.set(null);
        hostKeyText.set("");
        compared.set(false);
    }

    /** Fills the fields from a remembered server. */
    public void choose(Servers.Server s) {
        if (s == null) return;
        target.set(s.target());
        if (!s.identity().isEmpty()) identity.set(s.identity());
        remoteDir.set(s.remoteDir());
        if (!s.knownHosts().isEmpty()) knownHosts.set(s.knownHosts());
    }

    /** What "Connect to remote" needs to reach what was deployed. */
    public RemoteConnection connection() {
        return new RemoteConnection(target.get().strip(), identity.get().strip(), remoteDir.get().strip(), knownHosts.get().strip());
    }

    private SshTarget parsedTarget() {
        return SshTarget.parse(target.get() == null ? "" : target.get());
    }

    private Path identityPath() {
        String id = identity.get() == null ? "" : identity.get().strip();
        return id.isEmpty() ? null : Path.of(id);
    }

    private Path knownHostsPath() {
        String k = knownHosts.get() == null ? "" : knownHosts.get().strip();
        return k.isEmpty() ? null : Path.of(k);
    }

    /** Why the deploy cannot start yet, or null. */
    public String check() {
        if (target.get() == null || target.get().isBlank()) return "Say where to deploy: USER@HOST, for example root@mail.example.org";
        try {
            parsedTarget();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!identityNote.get().isEmpty()) return identityNote.get();
        Deploy.HostKey k = hostKey.get();
        if (k == null) return "Check the server first: its host key must be confirmed before anything is sent to it";
        if (!k.known() && !compared.get()) return "Compare the server's key fingerprint and tick \"I compared it\"";
        return null;
    }

    /** "Check the server": asks it for its host key (in the background) and shows the fingerprint to compare. */
    public void checkServer() {
        SshTarget t;
        try {
            t = parsedTarget();
        } catch (IllegalArgumentException e) {
            problem.set(e.getMessage());
            return;
        }
        forgetHostKey();
        problem.set("");
        checking.set(true);
        Path id = identityPath(), known = knownHostsPath();
        String asked = target.get();
        hostKeyText.set("Asking " + t + " for its host key…");
        context.work().run("Checking " + t, () -> Deploy.probeHostKey(t, id, known), k -> {
            checking.set(false);
            if (!asked.equals(target.get())) return; // the user moved on to another host meanwhile
            hostKey.set(k);
            hostKeyText.set(k.known()
                    ? "The server's key " + k.fingerprint() + " is already known (in " + k.knownHosts() + ")."
                      + (k.login().isEmpty() ? "" : "\nBut the login failed: " + k.login())
                    : "The server's key is " + k.fingerprint() + "; " + k.compareHint()
                      + ". If they are the same, tick the box; it is then added to " + k.knownHosts() + ".");
        }, failed -> {
            checking.set(false);
            hostKeyText.set("");
            problem.set(failed);
        });
    }

    /**
     * Deploys in the background: first {@code before} (the wizard writes the configuration there), then the steps of
     * {@link Deployment}. {@code done} gets the connection to attach to; a failure stays on the page, in full.
     */
    public void deploy(Callable<?> before, Consumer<RemoteConnection> done, Consumer<String> failed) {
        String p = check();
        if (p != null) {
            problem.set(p);
            if (failed != null) failed.accept(p);
            return;
        }
        Deploy.HostKey k = hostKey.get();
        Deployment.Request request = new Deployment.Request(parsedTarget(), identityPath(), null, remoteDir.get().strip(),
                knownHostsPath(), k.known() ? "" : k.fingerprint(), context.dataDir(), jar);
        RemoteConnection connection = connection();
        Deploy d = new Deploy(request);
        running = d;
        problem.set("");
        resetSteps();
        lastMessage.set("");
        deploying.set(true);
        context.work().run("Deploy to " + request.target() + " failed", () -> {
            if (before != null) before.call();
            return d.run((step, message) -> Platform.runLater(() -> progress(step, message)));
        }, report -> {
            running = null;
            deploying.set(false);
            steps.replaceAll(r -> r.mark() == Mark.CURRENT || r.step() != Deployment.Step.ROLLBACK ? new StepRow(r.step(), Mark.DONE) : r);
            lastMessage.set((report.upgrade() ? "Upgraded" : "Deployed") + " Mailwright on " + report.target() + " in " + report.remoteDir()
                    + (report.mode() == Deployment.ServiceMode.SYSTEMD ? " (systemd service mailwright.service)" : " (pid file " + report.remoteDir() + "/mailwright.pid)")
                    + (report.notes().isEmpty() ? "" : ". " + String.join(". ", report.notes())));
            remembered.setAll(Servers.in(context.dataDir()).list());
            done.accept(connection);
        }, message -> {
            running = null;
            deploying.set(false);
            steps.replaceAll(r -> r.mark() == Mark.CURRENT ? new StepRow(r.step(), Mark.FAILED) : r);
            problem.set(message);
            if (failed != null) failed.accept(message);
        });
    }

    /** A step started or said something: everything before it is done. Runs on the FX thread. */
    private void progress(Deployment.Step step, String message) {
        if (step == Deployment.Step.ROLLBACK && steps.stream().noneMatch(r -> r.step() == step)) steps.add(new StepRow(step, Mark.PENDING));
        steps.replaceAll(r -> r.step().ordinal() < step.ordinal() && r.mark() != Mark.FAILED ? new StepRow(r.step(),
                step == Deployment.Step.ROLLBACK && r.mark() == Mark.CURRENT ? Mark.FAILED : Mark.DONE)
                : r.step() == step ? new StepRow(step, Mark.CURRENT) : r);
        lastMessage.set(message);
    }

    /**
     * Cancel: before the install it stops and removes what was uploaded (the deploy then fails as cancelled);
     * once the install started it is too late, and the page says so.
     */
    public void cancel() {
        Deploy d = running;
        if (d == null) return;
        lastMessage.set(d.cancel() ? "Cancelling: what was uploaded is being removed; the server stays as it was."
                : "Too late to cancel: the install has started and finishes on its own (if the new engine does not come up,"
                  + " the previous release is put back).");
    }

    private void resetSteps() {
        steps.setAll(List.of(Deployment.Step.values()).stream().filter(s -> s != Deployment.Step.ROLLBACK)
                .map(s -> new StepRow(s, Mark.PENDING)).toList());
    }
}
