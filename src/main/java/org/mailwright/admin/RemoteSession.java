package org.mailwright.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ChannelExec;
import org.mailwright.deploy.LineSplitter;
import org.mailwright.deploy.RemoteAttach;
import org.mailwright.deploy.SshConnection;

/**
 * One remote {@code mailwright admin-session} on an exec channel: the remote CLI, started once per connection,
 * runs each command in its JVM and answers with one JSON line. So an operation over an open connection is a round
 * trip, not a JVM start. One command at a time (the remote side swaps its standard streams per command).
 */
final class RemoteSession implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Duration START = Duration.ofSeconds(60);

    /** The remote side is not there (an older release without admin-session): use one exec per command. */
    static final class Unavailable extends IOException {
        Unavailable(String message) {
            super(message);
        }
    }

    record Request(@JsonProperty("args") List<String> args, @JsonProperty("stdin") String stdin) {}

    record Response(@JsonProperty("exit") int exit, @JsonProperty("out") String out, @JsonProperty("err") String err) {}

    private final ChannelExec channel;
    private final LinkedBlockingQueue<String> lines;
    private boolean answered;

    private RemoteSession(ChannelExec channel, LinkedBlockingQueue<String> lines) {
        this.channel = channel;
        this.lines = lines;
    }

    static RemoteSession start(RemoteAttach attach) throws IOException {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        ChannelExec ch = attach.ssh().startStreaming(attach.layout().quickCli("admin-session"), new LineSplitter(lines::add));
        return new RemoteSession(ch, lines);
    }

    private String next(Duration timeout) throws IOException {
        return poll(lines, channel, timeout);
    }

    private static String poll(LinkedBlockingQueue<String> q, ChannelExec ch, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String l = q.poll(100, TimeUnit.MILLISECONDS);
                if (l != null) return l;
                if (!ch.isOpen() && q.isEmpty()) return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the remote mailwright");
        }
        throw new IOException("the remote mailwright did not answer within " + timeout.toSeconds() + " s");
    }

    /** Runs one command there; {@code stdin} may be null. */
    synchronized SshConnection.Result call(List<String> args, byte[] stdin, Duration timeout) throws IOException {
        OutputStream in = channel.getInvertedIn();
        in.write((JSON.writeValueAsString(new Request(args, stdin == null ? null : new String(stdin, StandardCharsets.UTF_8))) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        in.flush();
        String line = next(answered ? timeout : timeout.plus(START));
        if (line == null) {
            if (!answered) throw new Unavailable("the remote mailwright has no admin-session");
            throw new IOException("the remote mailwright ended the session — try again");
        }
        Response r;
        try {
            r = JSON.readValue(line, Response.class);
        } catch (IOException e) {
            if (!answered) throw new Unavailable("the remote mailwright answered no admin-session: " + line);
            throw e;
        }
        answered = true;
        return new SshConnection.Result(r.exit(), r.out() == null ? "" : r.out(), r.err() == null ? "" : r.err());
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close(false).await(Duration.ofSeconds(5)); // the remote session sees its stdin end and exits
        } catch (IOException e) {
            // already gone
        }
    }
}
