package org.mailwright.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * One SSH connection to the remote host (Apache MINA SSHD): remote commands on exec channels, uploads by
 * streaming into {@code cat} on an exec channel, and TCP connections to the remote's own ports through
 * direct-tcpip channels — so nothing but SSH needs to be reachable from the desk.
 */
public final class SshConnection implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private final SshClient client;
    private final ClientSession session;
    private final SshTarget target;

    private SshConnection(SshClient client, ClientSession session, SshTarget target) {
        this.client = client;
        this.session = session;
        this.target = target;
    }

    /** The result of a remote command. */
    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }

        /** The last non-empty line of stderr (else stdout): what a failed command said. */
        public String complaint() {
            for (String s : List.of(err, out)) {
                String[] lines = s.strip().split("\n");
                if (!lines[lines.length - 1].isBlank()) return lines[lines.length - 1].strip();
            }
            return "exit status " + exit;
        }
    }

    /**
     * Connects and logs in with the key (default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa), or the password when given
     * (the GUI's fallback).
     */
    public static SshConnection open(SshTarget target, Path identity, String password, HostKeys hostKeys) throws DeployException {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(hostKeys);
        List<Path> keys = new ArrayList<>();
        if (identity != null) {
            if (!Files.isReadable(identity)) {
                throw new DeployException("cannot read the SSH key " + identity + " — give the private key file with --identity");
            }
            keys.add(identity);
        } else {
            for (String n : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                Path p = Path.of(System.getProperty("user.home"), ".ssh", n);
                if (Files.isReadable(p)) keys.add(p);
            }
        }
        client.setKeyIdentityProvider(new FileKeyPairProvider(keys));
        client.start();
        ClientSession session = null;
        try {
            session = client.connect(target.user(), target.host(), target.port()).verify(CONNECT_TIMEOUT).getSession();
            if (password != null && !password.isEmpty()) session.addPasswordIdentity(password);
            session.auth().verify(CONNECT_TIMEOUT);
            return new SshConnection(client, session, target);
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            client.stop();
            var refusal = hostKeys.refusal();
            if (refusal.isPresent()) throw new DeployException(refusal.get(), e);
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            if (why.toLowerCase(java.util.Locale.ROOT).contains("auth")) {
                throw new DeployException("SSH login to " + target + " was refused (" + why + ") — check the user name and that "
                        + (keys.isEmpty() ? "you have a key (give one with --identity)" : "the public key of " + keys.get(0)
                        + " is in ~" + target.user() + "/.ssh/authorized_keys on the server"), e);
            }
            throw new DeployException("cannot connect to " + target + " over SSH: " + cause(e) + " — check host, port and that sshd runs", e);
        }
    }

    /** The innermost reason in words ("connection refused"), not the SSH library's wrapper text. */
    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root instanceof java.net.ConnectException) return "nothing answers there (connection refused)";
        if (root instanceof java.net.UnknownHostException) return "the host name " + root.getMessage() + " is not known";
        if (root instanceof java.net.NoRouteToHostException) return "no route to the host";
        if (root instanceof java.net.SocketTimeoutException || root instanceof java.util.concurrent.TimeoutException) return "no answer (timed out)";
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.replaceAll("\\w+(\\.\\w+)*Exception:? ?", "").strip();
    }

    public SshTarget target() {
        return target;
    }

    /** Runs {@code command} through the remote user's shell; {@code stdin} may be null. */
    public Result exec(String command, byte[] stdin, Duration timeout) throws IOException {
        return exec(command, stdin, timeout, OutputStream.nullOutputStream());
    }

    /** As {@link #exec(String, byte[], Duration)}, also giving the standard error to {@code errToo} as it comes. */
    public Result exec(String command, byte[] stdin, Duration timeout, OutputStream errToo) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec ch = session.createExecChannel(command)) {
            ch.setOut(out);
            ch.setErr(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    err.write(b);
                    errToo.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    err.write(b, off, len);
                    errToo.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    errToo.flush();
                }
            });
            ch.open().verify(CONNECT_TIMEOUT);
            OutputStream in = ch.getInvertedIn();
            if (stdin != null) in.write(stdin);
            in.close();
            var events = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new IOException("remote command did not finish within " + timeout.toSeconds() + " s: " + firstWords(command));
            }
            Integer exit = ch.getExitStatus();
            return new Result(exit == null ? -1 : exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    public Result exec(String command, Duration timeout) throws IOException {
        return exec(command, null, timeout);
    }

    /** Writes a remote command's standard input; returns false to abandon it (cancel). */
    public interface InputWriter {
        boolean write(OutputStream stdin) throws IOException;
    }

    /**
     * Runs {@code command} with standard input from {@code writer}. Returns null when the writer gave up (the channel
     * is closed at once, which ends the remote command).
     */
    public Result execFeeding(String command, InputWriter writer, Duration timeout) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec ch = session.createExecChannel(command)) {
            ch.setOut(out);
            ch.setErr(err);
            ch.open().verify(CONNECT_TIMEOUT);
            OutputStream in = ch.getInvertedIn();
            if (!writer.write(in)) {
                ch.close(true);
                return null;
            }
            in.close();
            var events = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new IOException("remote command did not finish within " + timeout.toSeconds() + " s: " + firstWords(command));
            }
            Integer exit = ch.getExitStatus();
            return new Result(exit == null ? -1 : exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Opens a TCP connection from the remote host to {@code host:port} there (SSH direct-tcpip, RFC 4254 §7.2).
     * The caller closes the returned tunnel.
     */
    public Tunnel connectThere(String host, int port) throws IOException {
        ChannelDirectTcpip ch = session.createDirectTcpipChannel(new SshdSocketAddress("localhost", 0), new SshdSocketAddress(host, port));
        ch.open().verify(Duration.ofSeconds(10));
        return new Tunnel(ch);
    }

    /** A TCP connection made on the remote side. */
    public static final class Tunnel implements AutoCloseable {
        private final ChannelDirectTcpip channel;

        Tunnel(ChannelDirectTcpip channel) {
            this.channel = channel;
        }

        public InputStream in() {
            return channel.getInvertedOut();
        }

        public OutputStream out() {
            return channel.getInvertedIn();
        }

        @Override
        public void close() throws IOException {
            channel.close(false).await(Duration.ofSeconds(5));
        }
    }

    /** An exec channel whose output is read as it comes ({@code tail -F}); closing it ends the remote command. */
    public ChannelExec startStreaming(String command, OutputStream out) throws IOException {
        ChannelExec ch = session.createExecChannel(command);
        ch.setOut(out);
        ch.setErr(OutputStream.nullOutputStream());
        ch.open().verify(CONNECT_TIMEOUT);
        return ch;
    }

    @Override
    public void close() {
        closeQuietly(session);
        client.stop();
    }

    private static void closeQuietly(ClientSession s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }

    private static String firstWords(String command) {
        return command.length() > 80 ? command.substring(0, 80) + "…" : command;
    }
}
