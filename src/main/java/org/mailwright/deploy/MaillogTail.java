package org.mailwright.deploy;

import java.io.IOException;
import java.util.function.Consumer;
import org.apache.sshd.client.channel.ChannelExec;

/**
 * Follows the remote maillog live ({@code tail -F} on an SSH exec channel) and hands every complete line to a
 * consumer, on MINA's I/O thread (a GUI moves it to its own thread). {@link #close()} stops the remote tail.
 */
public final class MaillogTail implements AutoCloseable {
    private final ChannelExec channel;

    private MaillogTail(ChannelExec channel) {
        this.channel = channel;
    }

    /** Starts with the last {@code backlog} lines, then follows new ones (also across log rotation). */
    public static MaillogTail follow(SshConnection ssh, RemoteLayout layout, int backlog, Consumer<String> lines) throws IOException {
        String cmd = "exec tail -n " + Math.max(0, backlog) + " -F " + Shell.quote(layout.maillog()) + " 2>/dev/null";
        return new MaillogTail(ssh.startStreaming(cmd, new LineSplitter(lines)));
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close(false).await(java.time.Duration.ofSeconds(5));
    }
}
