package org.mailwright.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwright.control.EnvelopeInfo;
import org.mailwright.control.QueueControl;

/**
 * The remote engine's queue, through its own CLI on an SSH exec channel
 * ({@code java -jar DIR/mailwright.jar --data DIR/data queue list --json}); no port is opened on the server.
 */
public final class RemoteQueueControl implements QueueControl {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SshConnection ssh;
    private final RemoteLayout layout;

    public RemoteQueueControl(SshConnection ssh, RemoteLayout layout) {
        this.ssh = ssh;
        this.layout = layout;
    }

    @Override
    public List<EnvelopeInfo> list() throws IOException {
        return JSON.readValue(run("queue list --json").out(), new TypeReference<List<EnvelopeInfo>>() {});
    }

    @Override
    public Optional<Shown> show(String id) throws IOException {
        return found("queue show --json " + Shell.quote(id), Shown.class);
    }

    @Override
    public Optional<Message> message(String id) throws IOException {
        return found("queue show --message --json " + Shell.quote(id), Message.class);
    }

    /** What a {@code queue show} command answers; empty when nothing is queued with that id. */
    private <T> Optional<T> found(String command, Class<T> type) throws IOException {
        SshConnection.Result r = ssh.exec(layout.cli(command), TIMEOUT);
        if (r.exit() == 1 && r.err().contains("nothing queued")) return Optional.empty();
        if (!r.ok()) throw failure(r);
        return Optional.of(JSON.readValue(r.out(), type));
    }

    @Override
    public int delete(String id) throws IOException {
        return count("queue delete " + Shell.quote(id));
    }

    @Override
    public int retry(Optional<String> id) throws IOException {
        return count("queue retry " + id.map(Shell::quote).orElse("--all"));
    }

    @Override
    public int bounce(String id) throws IOException {
        return count("queue bounce " + Shell.quote(id));
    }

    @Override
    public int adopt(String messageId) throws IOException {
        throw new IOException("adopt is done by the remote engine itself, not over SSH");
    }

    private SshConnection.Result run(String args) throws IOException {
        SshConnection.Result r = ssh.exec(layout.cli(args), TIMEOUT);
        if (!r.ok()) throw failure(r);
        return r;
    }

    /** "Deleted 2 envelope(s)" → 2; "nothing queued with id …" (exit 1) → 0. */
    private int count(String args) throws IOException {
        SshConnection.Result r = ssh.exec(layout.cli(args), TIMEOUT);
        if (r.exit() == 1 && r.err().contains("nothing queued")) return 0;
        if (!r.ok()) throw failure(r);
        Matcher m = Pattern.compile("(\\d+) envelope").matcher(r.out());
        if (!m.find()) throw new IOException("unexpected answer from the remote CLI: " + r.out().strip());
        return Integer.parseInt(m.group(1));
    }

    private IOException failure(SshConnection.Result r) {
        return new IOException("the remote mailwright (" + layout.dir() + ") said: " + r.complaint());
    }
}
