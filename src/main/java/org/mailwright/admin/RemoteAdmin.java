package org.mailwright.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.sshd.client.channel.ChannelExec;
import org.mailwright.deploy.LineSplitter;
import org.mailwright.deploy.DeployException;
import org.mailwright.deploy.RemoteAttach;
import org.mailwright.deploy.SshConnection;
import org.mailwright.deploy.SshTarget;

/**
 * The admin operations on a deployed engine: each runs the remote {@code mailwright --data DIR/data COMMAND --json}
 * on an exec channel of one SSH connection and reads its JSON back into the same records {@link LocalAdmin}
 * returns. The remote CLI is a {@link LocalAdmin} there, so a change takes effect on the remote engine exactly as
 * a local one does here (passwd reread, certificate files watched, queue through the control socket). Nothing but
 * SSH is needed; no port is opened on the server.
 */
public final class RemoteAdmin implements Admin {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Duration LONG = Duration.ofMinutes(10); // ACME orders, the self-test's probes
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final RemoteAttach attach;
    private final boolean owned;
    private RemoteSession session;
    private boolean sessionPossible = true;

    /** Uses a connection that stays open for the caller (the GUI's, or a test's); closing this leaves it open. */
    public RemoteAdmin(RemoteAttach attach) {
        this(attach, false);
    }

    private RemoteAdmin(RemoteAttach attach, boolean owned) {
        this.attach = attach;
        this.owned = owned;
    }

    /** Connects (host key must be known, as after a deploy); {@code remoteDir} null: the deploy's default. */
    public static RemoteAdmin open(SshTarget target, Path identity, Path knownHosts, String remoteDir) {
        try {
            return new RemoteAdmin(RemoteAttach.open(target, identity, null, knownHosts, remoteDir), true);
        } catch (DeployException e) {
            throw new AdminException(e.getMessage(), e);
        }
    }

    @Override
    public String where() {
        return attach.ssh().target() + ":" + attach.layout().dir();
    }

    // users

    @Override
    public List<Results.User> users() {
        return read(run(List.of("user", "list", "--json"), null, TIMEOUT), new TypeReference<>() {});
    }

    @Override
    public void userAdd(String name, String password) {
        run(List.of("user", "add", name, "--password-stdin"), (password + "\n").getBytes(StandardCharsets.UTF_8), TIMEOUT);
    }

    @Override
    public void userPasswd(String name, String password) {
        run(List.of("user", "passwd", name, "--password-stdin"), (password + "\n").getBytes(StandardCharsets.UTF_8), TIMEOUT);
    }

    @Override
    public void userDelete(String name) {
        run(List.of("user", "delete", name), null, TIMEOUT);
    }

    // aliases

    @Override
    public List<Results.Alias> aliases() {
        return read(run(List.of("alias", "list", "--json"), null, TIMEOUT), new TypeReference<>() {});
    }

    @Override
    public void aliasAdd(String name, List<String> targets) {
        List<String> args = new java.util.ArrayList<>(List.of("alias", "add", name));
        args.addAll(targets);
        run(args, null, TIMEOUT);
    }

    @Override
    public void aliasDelete(String name) {
        run(List.of("alias", "delete", name), null, TIMEOUT);
    }

    // TLS

    @Override
    public Results.TlsStatus tlsStatus() {
        return read(run(List.of("tls", "status", "--json"), null, TIMEOUT), new TypeReference<>() {});
    }

    @Override
    public Results.TlsInstalled tlsSelfSigned(int days) {
        return read(run(List.of("tls", "self-signed", "--json", "--days", String.valueOf(days)), null, TIMEOUT), new TypeReference<>() {});
    }

    @Override
    public Results.TlsInstalled tlsImport(Path cert, Path key) {
        for (Path p : List.of(cert, key)) {
            if (!Files.isReadable(p)) throw new AdminException(p + " cannot be read — check the path and its permissions");
        }
        // The remote `tls import` makes every check; it reads the two files from a private directory there.
        String dir = upload(List.of(cert, key), List.of("fullchain.pem", "privkey.pem"));
        try {
            return read(run(List.of("tls", "import", "--json", "--cert", dir + "/fullchain.pem", "--key", dir + "/privkey.pem"), null, TIMEOUT),
                    new TypeReference<>() {});
        } finally {
            removeQuietly(dir);
        }
    }

    @Override
    public Results.TlsInstalled tlsAcme(Results.AcmeOptions o, Consumer<String> progress) {
        List<String> args = new ArrayList<>(List.of("tls", "acme", "--json"));
        if (o.directory() != null) args.addAll(List.of("--directory", o.directory()));
        if (o.email() != null) args.addAll(List.of("--email", o.email()));
        if (o.httpPort() != null) args.addAll(List.of("--http-port", String.valueOf(o.httpPort())));
        String dir = null;
        if (o.trust() != null) {
            dir = upload(List.of(o.trust()), List.of("trust.pem"));
            args.addAll(List.of("--trust", dir + "/trust.pem"));
        }
        try {
            // On its own channel, not the admin session: the order's steps (stderr with --json) arrive as they happen.
            SshConnection.Result r;
            try {
                r = attach.ssh().exec(attach.layout().quickCli(String.join(" ", args.stream().map(RemoteAdmin::quote).toList())), null, LONG,
                        new LineSplitter(l -> {
                            if (!l.isBlank()) progress.accept(l);
                        }));
            } catch (IOException e) {
                throw new AdminException("on " + attach.ssh().target() + ": " + e.getMessage() + " — check the SSH connection", e);
            }
            if (!r.ok()) throw complaint(r);
            return read(r, new TypeReference<>() {});
        } finally {
            if (dir != null) removeQuietly(dir);
        }
    }

    // DKIM, DNS, self-test

    @Override
    public Results.DkimKeyInfo dkimKeygen(String selector, String type) {
        List<String> args = new ArrayList<>(List.of("dkim", "keygen", "--json"));
        if (selector != null) args.addAll(List.of("--selector", selector));
        if (type != null) args.addAll(List.of("--type", type));
        return read(run(args, null, TIMEOUT), new TypeReference<>() {});
    }

    @Override
    public List<Results.DkimKeyInfo> dkimKeys() {
        return read(run(List.of("dkim", "list", "--json"), null, TIMEOUT), new TypeReference<>() {});
    }

    @Override
    public void dkimDelete(String selector) {
        run(List.of("dkim", "delete", selector), null, TIMEOUT);
    }

    @Override
    public String dnsRecords(String format) {
        return run(List.of("dns", "records", "--format", format), null, TIMEOUT).out();
    }

    @Override
    public Results.DnsCheckReport dnsCheck(String resolver) {
        // exit 1 means "not every record is OK", with the report on stdout all the same
        return read(runReport(resolver == null ? List.of("dns", "check", "--json") : List.of("dns", "check", "--json", "--resolver", resolver), TIMEOUT), new TypeReference<>() {});
    }

    @Override
    public Results.SelfTestReport check(Results.CheckOptions o) {
        List<String> args = new ArrayList<>(List.of("check", "--json", "--timeout", String.valueOf(o.timeoutSeconds())));
        if (o.resolver() != null) args.addAll(List.of("--resolver", o.resolver()));
        if (o.probeHost() != null) args.addAll(List.of("--probe-host", o.probeHost()));
        return read(runReport(args, LONG), new TypeReference<>() {});
    }

    // sending, queue, status, maillog

    @Override
    public String send(List<String> recipients, byte[] message) {
        List<String> args = new ArrayList<>(List.of("sendmail", "--print-id", "-i"));
        args.addAll(recipients);
        String id = run(args, message, TIMEOUT).out().strip();
        if (id.isEmpty()) {
            throw new AdminException("on " + attach.ssh().target() + ": the message was sent, but the remote mailwright does not tell its queue id"
                    + " — deploy this version there (`mailwright deploy " + attach.ssh().target() + "`)");
        }
        return id;
    }

    @Override
    public <T> T queue(QueueAction<T> action) {
        try {
            return action.apply(new RemoteQueue(args -> exec(args, null, TIMEOUT)));
        } catch (AdminException e) {
            throw e;
        } catch (IOException e) {
            throw new AdminException("on " + attach.ssh().target() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Results.Status status() {
        return read(run(List.of("status", "--json"), null, TIMEOUT), new TypeReference<>() {});
    }

    @Override
    public List<String> log(Instant since) {
        String out = run(since == null ? List.of("log") : List.of("log", "--since", since.toString()), null, TIMEOUT).out();
        return out.isEmpty() ? List.of() : out.lines().toList();
    }

    /** Filtered there ({@code log --message}), so only the message's lines cross the connection. */
    @Override
    public List<String> messageLog(String id, Instant since) {
        List<String> args = new java.util.ArrayList<>(List.of("log", "--message", id));
        if (since != null) args.addAll(List.of("--since", since.toString()));
        SshConnection.Result r = exec(args, null, TIMEOUT);
        if (r.exit() == 2) return Admin.super.messageLog(id, since); // a release before --message
        if (!r.ok()) throw complaint(r);
        String out = r.out();
        return out.isEmpty() ? List.of() : out.lines().toList();
    }

    @Override
    public AutoCloseable followLog(Instant since, Consumer<String> lines) {
        try {
            ChannelExec ch = attach.ssh().startStreaming(attach.layout().quickCli("log -f --until-stdin-closes" + (since == null ? "" : " --since " + since)),
                    new LineSplitter(lines));
            return () -> ch.close(false).await(Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new AdminException("cannot follow the maillog on " + attach.ssh().target() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Results.ConfigCheck configCheck() {
        return read(runReport(List.of("config", "check", "--json"), TIMEOUT), new TypeReference<>() {});
    }

    @Override
    public Results.ConfigValue configGet(String key) {
        return read(run(List.of("config", "get", key, "--json"), null, TIMEOUT), new TypeReference<>() {});
    }

    @Override
    public java.util.Map<String, Object> configShow() {
        return read(run(List.of("config", "show", "--json"), null, TIMEOUT), new TypeReference<>() {});
    }

    @Override
    public Results.ConfigChange configSet(String key, String value) {
        return read(run(List.of("config", "set", key, value, "--json"), null, TIMEOUT), new TypeReference<>() {});
    }

    @Override
    public Results.ConfigChanges configSetAll(java.util.Map<String, String> values, List<Results.Listener> listeners,
                                              List<Results.Rule> rules) {
        byte[] stdin;
        try {
            java.util.Map<String, Object> request = new java.util.LinkedHashMap<>(values);
            if (listeners != null) request.put(org.mailwright.config.ConfigKeys.LISTEN, listeners);
            if (rules != null) request.put(org.mailwright.config.ConfigKeys.MATCH, rules);
            stdin = JSON.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new AdminException("cannot write the settings: " + e.getMessage(), e);
        }
        return read(run(List.of("config", "set-all", "--json"), stdin, TIMEOUT), new TypeReference<>() {});
    }

    @Override
    public Results.ConfigChanges smarthostLogin(String user, String password) {
        // The password goes on standard input, never on the command line (which other users of the server can read).
        byte[] stdin = ((password == null ? "" : password) + "\n").getBytes(StandardCharsets.UTF_8);
        return read(run(List.of("config", "smarthost-login", user == null ? "" : user, "--password-stdin", "--json"), stdin, TIMEOUT),
                new TypeReference<>() {});
    }

    @Override
    public synchronized void close() {
        if (session != null) session.close();
        session = null;
        if (owned) attach.close();
    }

    /** Runs the remote CLI; a non-zero exit becomes its own one-line complaint, naming the host. */
    private SshConnection.Result run(List<String> args, byte[] stdin, Duration timeout) {
        SshConnection.Result r = exec(args, stdin, timeout);
        if (!r.ok()) throw complaint(r);
        return r;
    }

    /** As {@link #run}, but exit 1 with a JSON report on stdout is an answer ("not all OK"), not a failure. */
    private SshConnection.Result runReport(List<String> args, Duration timeout) {
        SshConnection.Result r = exec(args, null, timeout);
        if (r.ok() || (r.exit() == 1 && r.out().stripLeading().startsWith("{"))) return r;
        throw complaint(r);
    }

    /**
     * Through the connection's admin session (one remote JVM for every command), else — a remote release without
     * it — one remote JVM per command.
     */
    private synchronized SshConnection.Result exec(List<String> args, byte[] stdin, Duration timeout) {
        try {
            if (session == null && sessionPossible) {
                session = RemoteSession.start(attach);
            }
            if (session != null) {
                try {
                    return session.call(args, stdin, timeout);
                } catch (RemoteSession.Unavailable e) {
                    sessionPossible = false;
                    session.close();
                    session = null;
                } catch (IOException e) {
                    session.close();
                    session = null; // the next command starts a new one
                    throw e;
                }
            }
            return attach.ssh().exec(attach.layout().quickCli(String.join(" ", args.stream().map(RemoteAdmin::quote).toList())), stdin, timeout);
        } catch (IOException e) {
            throw new AdminException("on " + attach.ssh().target() + ": " + e.getMessage() + " — check the SSH connection", e);
        }
    }

    private AdminException complaint(SshConnection.Result r) {
        String said = r.complaint();
        if (said.startsWith("mailwright: ")) said = said.substring("mailwright: ".length());
        if (r.exit() == 127 || said.contains("java: not found")) said = "java is not installed there — install Java 17 (e.g. openjdk-17-jre-headless)";
        return new AdminException("on " + attach.ssh().target() + ": " + said);
    }

    private <T> T read(SshConnection.Result r, TypeReference<T> type) {
        try {
            return JSON.readValue(r.out(), type);
        } catch (IOException e) {
            throw new AdminException("on " + attach.ssh().target() + ": the remote mailwright answered what this one cannot read ("
                    + e.getMessage().lines().findFirst().orElse("") + ") — deploy this version there (`mailwright deploy " + attach.ssh().target() + "`)", e);
        }
    }

    /**
     * Copies local files into a new private directory on the remote host (mode 0700; given to the data directory's
     * owner when we are root, since the remote CLI runs as that user), for a command that reads them there.
     */
    private String upload(List<Path> files, List<String> names) {
        try {
            String data = quote(attach.layout().data());
            SshConnection.Result made = attach.ssh().exec("umask 077; d=$(mktemp -d) && echo \"$d\"", TIMEOUT);
            if (!made.ok()) throw complaint(made);
            String dir = made.out().strip();
            for (int i = 0; i < files.size(); i++) {
                SshConnection.Result put = attach.ssh().exec("umask 077; cat > " + quote(dir + "/" + names.get(i)), Files.readAllBytes(files.get(i)), TIMEOUT);
                if (!put.ok()) throw complaint(put);
            }
            SshConnection.Result own = attach.ssh().exec("if [ \"$(id -u)\" = 0 ]; then chown -R \"$(stat -c %U " + data + ")\" "
                    + quote(dir) + "; fi", TIMEOUT);
            if (!own.ok()) throw complaint(own);
            return dir;
        } catch (IOException e) {
            throw new AdminException("cannot copy the files to " + attach.ssh().target() + ": " + e.getMessage(), e);
        }
    }

    private void removeQuietly(String dir) {
        try {
            attach.ssh().exec("rm -rf " + quote(dir), TIMEOUT);
        } catch (IOException e) {
            // a private temporary directory left behind: harmless
        }
    }

    /** POSIX sh quoting for the arguments sent over SSH. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
