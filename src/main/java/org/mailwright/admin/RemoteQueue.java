package org.mailwright.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwright.control.EnvelopeInfo;
import org.mailwright.control.QueueControl;
import org.mailwright.deploy.SshConnection;

/**
 * The remote queue through {@link RemoteAdmin}'s admin session ({@code queue list --json} …), so a queue command
 * over an open connection is a round trip like the others (the GUI's Queue view goes through it too).
 * {@code deploy/RemoteQueueControl} does the same with one JVM per command.
 */
final class RemoteQueue implements QueueControl {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COUNT = Pattern.compile("(\\d+) envelope");

    /** Runs the remote CLI and returns its result, whatever the exit status. */
    interface Cli {
        SshConnection.Result run(List<String> args) throws IOException;
    }

    private final Cli cli;

    RemoteQueue(Cli cli) {
        this.cli = cli;
    }

    @Override
    public List<EnvelopeInfo> list() throws IOException {
        return JSON.readValue(ok(cli.run(List.of("queue", "list", "--json"))).out(), new TypeReference<List<EnvelopeInfo>>() {});
    }

    @Override
    public Optional<Shown> show(String id) throws IOException {
        return found(List.of("queue", "show", "--json", id), Shown.class);
    }

    @Override
    public Optional<Message> message(String id) throws IOException {
        return found(List.of("queue", "show", "--message", "--json", id), Message.class);
    }

    /** What a {@code queue show} command answers; empty when nothing is queued with that id. */
    private <T> Optional<T> found(List<String> args, Class<T> type) throws IOException {
        SshConnection.Result r = cli.run(args);
        if (nothingQueued(r)) return Optional.empty();
        return Optional.of(JSON.readValue(ok(r).out(), type));
    }

    @Override
    public int delete(String id) throws IOException {
        return count(List.of("queue", "delete", id));
    }

    @Override
    public int retry(Optional<String> id) throws IOException {
        return count(List.of("queue", "retry", id.orElse("--all")));
    }

    @Override
    public int bounce(String id) throws IOException {
        return count(List.of("queue", "bounce", id));
    }

    @Override
    public int adopt(String messageId) throws IOException {
        throw new IOException("adopt is done by the remote engine itself, not over SSH");
    }

    /** "Deleted 2 envelope(s)" → 2; "nothing queued with id …" (exit 1) → 0. */
    private int count(List<String> args) throws IOException {
        SshConnection.Result r = cli.run(args);
        if (nothingQueued(r)) return 0;
        Matcher m = COUNT.matcher(ok(r).out());
        if (!m.find()) throw new IOException("unexpected answer from the remote mailwright: " + r.out().strip());
        return Integer.parseInt(m.group(1));
    }

    private static boolean nothingQueued(SshConnection.Result r) {
        return r.exit() == 1 && r.err().contains("nothing queued");
    }

    private static SshConnection.Result ok(SshConnection.Result r) throws IOException {
        if (!r.ok()) throw new IOException(r.complaint().replaceFirst("^mailwright: ", ""));
        return r;
    }
}
