package org.mailwright.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigEdit;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigKeys;
import org.mailwright.config.ConfigLoader;
import org.mailwright.control.ControlClient;
import org.mailwright.control.LocalSubmission;
import org.mailwright.dkim.DkimKey;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dkim.KeyType;
import org.mailwright.dns.DnsCheck;
import org.mailwright.dns.DnsClient;
import org.mailwright.dns.DnsRecords;
import org.mailwright.dns.SelfTest;
import org.mailwright.io.DurableFiles;
import org.mailwright.lookup.Aliases;
import org.mailwright.lookup.Passwd;

/**
 * The admin operations on a data directory on this machine. Files are replaced atomically and the running engine
 * rereads them (passwd on every lookup that finds it changed, the certificate within seconds); the queue goes
 * through the engine's control socket, since nothing may edit the spool behind a running scheduler.
 */
public final class LocalAdmin implements Admin {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path data;
    private final Clock clock;
    private final LocalTls tls;

    public LocalAdmin(Path data) {
        this(data, Clock.systemUTC());
    }

    LocalAdmin(Path data, Clock clock) {
        this.data = data.toAbsolutePath();
        this.clock = clock;
        this.tls = new LocalTls(this.data, clock);
    }

    @Override
    public String where() {
        return data.toString();
    }

    // users

    @Override
    public List<Results.User> users() {
        try {
            return new Passwd(data).users().stream().map(Results.User::new).toList();
        } catch (IOException e) {
            throw new AdminException("cannot read " + data.resolve(Passwd.FILE_NAME) + ": " + e.getMessage() + " — check its permissions");
        }
    }

    @Override
    public void userAdd(String name, String password) {
        Passwd passwd = new Passwd(data);
        if (exists(passwd, name)) throw new AdminException("user " + name + " exists already — use `user passwd " + name + "` to change the password");
        setPassword(passwd, name, password);
    }

    @Override
    public void userPasswd(String name, String password) {
        Passwd passwd = new Passwd(data);
        if (!exists(passwd, name)) throw new AdminException("no user " + name + " — add it with `user add " + name + "`");
        setPassword(passwd, name, password);
    }

    @Override
    public void userDelete(String name) {
        try {
            if (!new Passwd(data).delete(name)) throw new AdminException("no user " + name + " — see `mailwright user list`");
        } catch (IOException e) {
            throw passwdFailure(e);
        }
    }

    // aliases

    @Override
    public List<Results.Alias> aliases() {
        return aliasTable().entries().stream().map(e -> new Results.Alias(e.name(), e.targets())).toList();
    }

    @Override
    public void aliasAdd(String name, List<String> targets) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        String problem = Aliases.checkName(n);
        if (problem != null) throw new AdminException(problem);
        if (targets.isEmpty()) throw new AdminException("alias add " + n + " needs at least one target: a user or an address");
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(aliasTable().entry(n).map(Aliases.Entry::targets).orElse(List.of()));
        for (String t : targets) {
            String p = Aliases.checkTarget(t.strip());
            if (p != null) throw new AdminException(p);
            all.add(t.strip().toLowerCase(java.util.Locale.ROOT));
        }
        writeAliases(Aliases.edit(aliasText(), n, List.copyOf(all)));
    }

    @Override
    public void aliasDelete(String name) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        if (aliasTable().entry(n).isEmpty()) throw new AdminException("no alias " + n + " — see `mailwright alias list`");
        writeAliases(Aliases.edit(aliasText(), n, null));
    }

    private Aliases aliasTable() {
        try {
            return Aliases.load(data);
        } catch (Aliases.Malformed e) {
            throw new AdminException(e.getMessage());
        } catch (IOException e) {
            throw new AdminException("cannot read " + data.resolve(Aliases.FILE_NAME) + ": " + e.getMessage() + " — check its permissions");
        }
    }

    private String aliasText() {
        Path file = data.resolve(Aliases.FILE_NAME);
        try {
            return java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file) : "";
        } catch (IOException e) {
            throw new AdminException("cannot read " + file + ": " + e.getMessage() + " — check its permissions");
        }
    }

    /** Checks the new table as the engine will read it, then replaces the file atomically. */
    private void writeAliases(String text) {
        Path file = data.resolve(Aliases.FILE_NAME);
        try {
            Aliases.parse(text, file.toString());
            DurableFiles.write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        } catch (Aliases.Malformed e) {
            throw new AdminException(e.getMessage() + " (nothing was changed)");
        } catch (IOException e) {
            throw new AdminException("cannot write " + file + ": " + e.getMessage() + " — check the permissions of the data directory");
        }
    }

    private boolean exists(Passwd passwd, String name) {
        String problem = Passwd.checkName(name);
        if (problem != null) throw new AdminException(problem);
        try {
            return passwd.exists(name);
        } catch (IOException e) {
            throw passwdFailure(e);
        }
    }

    private void setPassword(Passwd passwd, String name, String password) {
        String problem = Passwd.checkPassword(password);
        if (problem != null) throw new AdminException(problem + " — nothing changed");
        try {
            passwd.set(name, password);
        } catch (IOException e) {
            throw passwdFailure(e);
        }
    }

    private AdminException passwdFailure(IOException e) {
        return new AdminException("cannot update " + data.resolve(Passwd.FILE_NAME) + ": " + e.getMessage() + " — check its permissions and free space", e);
    }

    // TLS

    @Override
    public Results.TlsStatus tlsStatus() {
        return tls.status();
    }

    @Override
    public Results.TlsInstalled tlsSelfSigned(int days) {
        return tls.selfSigned(days);
    }

    @Override
    public Results.TlsInstalled tlsImport(Path cert, Path key) {
        return tls.importFiles(cert, key);
    }

    @Override
    public Results.TlsInstalled tlsAcme(Results.AcmeOptions options, Consumer<String> progress) {
        return tls.acme(options, progress);
    }

    // DKIM, DNS, self-test

    @Override
    public Results.DkimKeyCreated dkimKeygen(String selector, String type) {
        Config config = config();
        KeyType keyType;
        try {
            keyType = KeyType.parse(type == null ? "rsa" : type);
        } catch (IllegalArgumentException e) {
            throw new AdminException(e.getMessage());
        }
        String s = selector != null ? selector : keyType == KeyType.RSA ? "mailwright" : "mailwright-ed25519";
        Path dir = data.resolve("dkim");
        DkimKey key;
        try {
            key = DkimKeys.generate(dir, s, keyType);
        } catch (FileAlreadyExistsException e) {
            throw new AdminException("DATA/dkim/" + s + ".key exists already — choose another --selector (keep the old one while its DNS record is published)");
        } catch (IllegalArgumentException e) {
            throw new AdminException(e.getMessage());
        } catch (IOException e) {
            throw new AdminException("cannot write " + dir.resolve(s + DkimKeys.KEY_SUFFIX) + ": " + e.getMessage() + " — check the permissions of DATA/dkim");
        }
        String value = DkimKeys.dnsTxtValue(key);
        List<String> domains = new ArrayList<>(config.domains());
        if (domains.isEmpty()) domains.add(config.hostname());
        List<Results.DkimRecord> records = new ArrayList<>();
        for (String domain : domains) {
            records.add(new Results.DkimRecord(DkimKeys.dnsName(s, domain), value, DnsRecords.dkim(key, domain).zoneLine()));
        }
        return new Results.DkimKeyCreated(s, dir.resolve(s + DkimKeys.KEY_SUFFIX).toString(), keyType.keyTag(),
                keyType == KeyType.RSA ? DkimKeys.DEFAULT_RSA_BITS : 0, records);
    }

    @Override
    public String dnsRecords(String format) {
        DnsRecords r = records(config());
        return switch (format) {
            case "zone" -> r.zone();
            case "json" -> r.json();
            default -> throw new AdminException("--format \"" + format + "\" is not zone or json");
        };
    }

    @Override
    public Results.DnsCheckReport dnsCheck(String resolver) {
        Config c = config();
        DnsRecords wanted = records(c);
        DnsClient dns = dns(c, resolver);
        List<DnsCheck.Row> rows = new DnsCheck(c, dns).run(wanted);
        return new Results.DnsCheckReport(c.hostname(), dns.description(), DnsCheck.allRequiredOk(rows),
                rows.stream().map(DnsCheck::toMap).toList(), wanted.notes(), Reports.dnsCheck(c, dns, rows, wanted.notes()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Results.SelfTestReport check(Results.CheckOptions o) {
        Config c = config();
        DnsRecords records = records(c);
        DnsClient dns = dns(c, o.resolver());
        String probe = o.probeHost() != null && !o.probeHost().isBlank() ? o.probeHost() : c.dns().outboundProbe();
        if (!probe.contains(":")) throw new AdminException("--probe-host \"" + probe + "\" is not HOST:PORT — write it like mx.example.net:25");
        SelfTest.Report report = SelfTest.run(c, data, records, dns,
                new SelfTest.Options(probe, Duration.ofSeconds(Math.max(1, o.timeoutSeconds())), clock.instant()));
        List<java.util.Map<String, Object>> findings = report.findings().stream()
                .map(f -> (java.util.Map<String, Object>) JSON.convertValue(f, java.util.Map.class)).toList();
        return new Results.SelfTestReport(c.hostname(), report.score(), report.anyFailure(),
                report.dns().stream().map(DnsCheck::toMap).toList(), findings, Reports.selfTest(c, dns, report));
    }

    private Config config() {
        if (!ConfigLoader.exists(data)) throw new AdminException("no mailwright.conf in " + data + " — run `mailwright init` first");
        try {
            return ConfigLoader.load(data);
        } catch (ConfigException e) {
            throw new AdminException(e.getMessage(), e); // file:line lines, printed as they are
        }
    }

    private DnsRecords records(Config c) {
        try {
            return DnsRecords.of(c, DkimKeys.loadAll(data.resolve("dkim")));
        } catch (IOException e) {
            throw new AdminException("cannot read the DKIM keys: " + e.getMessage() + " — fix or remove the key file in " + data.resolve("dkim"));
        }
    }

    /** {@code --resolver}, else {@code [outbound] resolver}, else the system's. */
    private static DnsClient dns(Config c, String resolver) {
        String r = resolver != null && !resolver.isBlank() ? resolver : c.outbound().resolver();
        try {
            return DnsClient.of(r);
        } catch (IllegalArgumentException e) {
            throw new AdminException("resolver: " + e.getMessage());
        }
    }

    // sending, queue, status, maillog

    /** Through the engine's submission socket, as {@code sendmail} while it runs; a stopped engine sends nothing. */
    @Override
    public String send(List<String> recipients, byte[] message) {
        LocalSubmission.Request request = new LocalSubmission.Request(null, recipients, false, null);
        String bad = LocalSubmission.badRequest(request);
        if (bad != null) throw new AdminException(bad);
        try {
            Optional<ControlClient.Submission> submission = new ControlClient(data).submit(request);
            if (submission.isEmpty()) {
                throw new AdminException("the mail engine is not running — start it (Start on the Dashboard, or `mailwright serve`)"
                        + " and send again; nothing was sent");
            }
            try (ControlClient.Submission s = submission.get()) {
                try {
                    s.body().write(message);
                } catch (IOException e) {
                    throw s.refusalOr(e);
                }
                return s.finish();
            }
        } catch (IOException e) {
            throw new AdminException(e.getMessage(), e); // the engine's refusal says what to do
        }
    }


    @Override
    public <T> T queue(QueueAction<T> action) {
        try {
            ControlClient client = new ControlClient(data);
            if (client.engineRunning()) return action.apply(client);
            Optional<Engine.OfflineQueue> offline = Engine.offlineQueue(data);
            if (offline.isEmpty()) {
                throw new AdminException("the engine holds the queue but its control socket does not answer — wait a moment and try again");
            }
            try (Engine.OfflineQueue q = offline.get()) {
                return action.apply(q.control());
            }
        } catch (ConfigException e) {
            throw new AdminException(e.getMessage().replace("\n", "; "), e);
        } catch (IOException e) {
            throw new AdminException("queue: " + e.getMessage(), e);
        }
    }

    @Override
    public Results.ConfigCheck configCheck() {
        try {
            Config c = ConfigLoader.load(data);
            return new Results.ConfigCheck(true, ConfigLoader.FILE_NAME + ": OK (" + c.hostname() + ", " + c.listeners().size()
                    + " listeners, " + c.matches().size() + " rules)", List.of());
        } catch (ConfigException e) {
            return new Results.ConfigCheck(false, ConfigLoader.FILE_NAME + ": " + e.problems().size() + " problem(s)", e.problems());
        }
    }

    @Override
    public Results.ConfigValue configGet(String name) {
        ConfigKeys.Key key = configKey(name);
        try {
            return new Results.ConfigValue(name, key.valueIn(ConfigLoader.load(data)));
        } catch (ConfigException e) {
            throw new AdminException(String.join("; ", e.problems()));
        }
    }

    @Override
    public Results.ConfigChange configSet(String name, String value) {
        ConfigKeys.Key key = configKey(name);
        ConfigEdit.Result r = editConfig(() -> ConfigEdit.set(data, key, value));
        Object now = key.valueIn(r.after());
        List<String> restart = reloadRunningEngine();
        return new Results.ConfigChange(name, now, restart == null ? "stopped" : "running", restart == null ? List.of() : restart);
    }

    /** An edit of mailwright.conf. */
    private interface ConfigEditing<T> {
        T run() throws ConfigException, IOException;
    }

    /** Runs the edit; a bad value or a file that cannot be written is said with "unchanged" (the edit is atomic). */
    private <T> T editConfig(ConfigEditing<T> edit) {
        try {
            return edit.run();
        } catch (IllegalArgumentException e) {
            throw new AdminException(e.getMessage() + " — mailwright.conf is unchanged");
        } catch (ConfigException e) {
            throw new AdminException(String.join("; ", e.problems()) + " — mailwright.conf is unchanged");
        } catch (IOException e) {
            throw new AdminException("cannot rewrite mailwright.conf in " + data + ": " + e.getMessage() + " — it is unchanged");
        }
    }

    /** Tells a running engine to apply mailwright.conf: what it names as needing a restart, or null when none runs. */
    private List<String> reloadRunningEngine() {
        ControlClient engine = new ControlClient(data);
        if (!engine.engineRunning()) return null;
        try {
            JsonNode answer = engine.reloadConfig();
            List<String> restart = new ArrayList<>();
            answer.path("restart").forEach(k -> restart.add(k.asText()));
            return restart;
        } catch (IOException e) {
            throw new AdminException("mailwright.conf is changed, but the running engine could not apply it: " + e.getMessage()
                    + " — restart the engine");
        }
    }

    @Override
    public Results.ConfigChanges configSetAll(java.util.Map<String, String> values, List<Results.Listener> listeners) {
        java.util.Map<ConfigKeys.Key, String> keyed = new java.util.LinkedHashMap<>();
        values.forEach((name, value) -> keyed.put(configKey(name), value));
        ConfigEdit.Results r = editConfig(() -> ConfigEdit.setAll(data, keyed,
                listeners == null ? null : listeners.stream().map(LocalAdmin::listener).toList()));
        java.util.Map<String, Object> now = new java.util.LinkedHashMap<>();
        keyed.keySet().forEach(k -> now.put(k.name(), k.valueIn(r.after())));
        if (listeners != null) now.put("listen", r.after().listeners().stream()
                .map(l -> new Results.Listener(l.address(), l.port(), l.tls().word(), l.auth().word())).toList());
        List<String> restart = reloadRunningEngine();
        return new Results.ConfigChanges(now, restart == null ? "stopped" : "running", restart == null ? List.of() : restart);
    }

    private static org.mailwright.config.Config.Listener listener(Results.Listener l) {
        if (l.address() == null || l.address().isBlank()) throw new AdminException("a listener needs an address (0.0.0.0 for all of this host's)");
        return org.mailwright.config.Defaults.listener(l.address().strip(), l.port())
                .withTls(word(org.mailwright.config.Config.ListenerTls.values(), l.tls(), org.mailwright.config.Config.ListenerTls::word, "tls", "starttls, require, implicit or none"))
                .withAuth(word(org.mailwright.config.Config.ListenerAuth.values(), l.auth(), org.mailwright.config.Config.ListenerAuth::word, "auth", "none, optional or require"));
    }

    private static <E> E word(E[] values, String word, java.util.function.Function<E, String> of, String what, String choices) {
        for (E e : values) if (of.apply(e).equals(word)) return e;
        throw new AdminException("listener " + what + " \"" + word + "\" is not " + choices + " — mailwright.conf is unchanged");
    }

    private static ConfigKeys.Key configKey(String name) {
        return ConfigKeys.find(name).orElseThrow(() -> new AdminException("unknown key \"" + name + "\""));
    }

    @Override
    public Results.Status status() {
        return new LocalStatus(data, clock).read(tls.config());
    }

    @Override
    public List<String> log(Instant since) {
        return new MaillogReader(data).since(since);
    }

    @Override
    public AutoCloseable followLog(Instant since, Consumer<String> lines) {
        return new MaillogReader(data).follow(since, lines);
    }

    @Override
    public void close() {
        // nothing held between operations
    }
}
