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
    public Results.DkimKeyInfo dkimKeygen(String selector, String type) {
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
        return info(config, dir, key);
    }

    /** The key, its file and the TXT record for each of our domains (the hostname when there are none). */
    private static Results.DkimKeyInfo info(Config config, Path dir, DkimKey key) {
        String value = DkimKeys.dnsTxtValue(key);
        List<String> domains = new ArrayList<>(config.domains());
        if (domains.isEmpty()) domains.add(config.hostname());
        List<Results.DkimRecord> records = new ArrayList<>();
        for (String domain : domains) {
            records.add(new Results.DkimRecord(DkimKeys.dnsName(key.selector(), domain), value, DnsRecords.dkim(key, domain).zoneLine()));
        }
        int bits = key.publicKey() instanceof java.security.interfaces.RSAPublicKey rsa ? rsa.getModulus().bitLength() : 0;
        return new Results.DkimKeyInfo(key.selector(), dir.resolve(key.selector() + DkimKeys.KEY_SUFFIX).toString(),
                key.type().keyTag(), bits, records);
    }

    @Override
    public List<Results.DkimKeyInfo> dkimKeys() {
        Config config = config();
        Path dir = data.resolve("dkim");
        try {
            return DkimKeys.loadAll(dir).stream().map(k -> info(config, dir, k)).toList();
        } catch (IOException e) {
            throw new AdminException(e.getMessage() + " — fix or remove that file in DATA/dkim");
        }
    }

    @Override
    public void dkimDelete(String selector) {
        Path file;
        try {
            DkimKeys.checkSelector(selector);
            file = data.resolve("dkim").resolve(selector + DkimKeys.KEY_SUFFIX);
        } catch (IllegalArgumentException e) {
            throw new AdminException(e.getMessage());
        }
        try {
            if (!java.nio.file.Files.deleteIfExists(file)) {
                throw new AdminException("there is no DKIM key \"" + selector + "\" (DATA/dkim/" + selector + ".key) — `mailwright dkim list` shows the keys");
            }
            DurableFiles.syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new AdminException("cannot remove " + file + ": " + e.getMessage() + " — check the permissions of DATA/dkim");
        }
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
        if (!ConfigKeys.isBlocks(name)) configKey(name);
        Config c;
        try {
            c = ConfigLoader.load(data);
        } catch (ConfigException e) {
            throw new AdminException(String.join("; ", e.problems()));
        }
        return new Results.ConfigValue(name, switch (name) {
            case ConfigKeys.LISTEN -> listeners(c);
            case ConfigKeys.MATCH -> rules(c);
            default -> configKey(name).valueIn(c);
        });
    }

    @Override
    public java.util.Map<String, Object> configShow() {
        Config c;
        try {
            c = ConfigLoader.load(data);
        } catch (ConfigException e) {
            throw new AdminException(String.join("; ", e.problems()));
        }
        java.util.Map<String, Object> all = new java.util.LinkedHashMap<>();
        for (ConfigKeys.Key k : ConfigKeys.all()) all.put(k.name(), k.valueIn(c));
        all.put(ConfigKeys.LISTEN, listeners(c));
        all.put(ConfigKeys.MATCH, rules(c));
        return all;
    }

    private static List<Results.Listener> listeners(Config c) {
        return c.listeners().stream().map(l -> new Results.Listener(l.address(), l.port(), l.tls().word(), l.auth().word())).toList();
    }

    private static List<Results.Rule> rules(Config c) {
        return c.matches().stream().map(m -> new Results.Rule(m.from().word(), m.forWhat().word(), m.action().word())).toList();
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
    public Results.ConfigChanges configSetAll(java.util.Map<String, String> values, List<Results.Listener> listeners,
                                              List<Results.Rule> rules) {
        java.util.Map<ConfigKeys.Key, String> keyed = new java.util.LinkedHashMap<>();
        values.forEach((name, value) -> keyed.put(configKey(name), value));
        List<Config.Listener> newListeners = listeners == null ? null : listeners.stream().map(LocalAdmin::listener).toList();
        List<Config.MatchRule> newRules = rules == null ? null : java.util.stream.IntStream.range(0, rules.size())
                .mapToObj(i -> rule(i + 1, rules.get(i))).toList();
        ConfigEdit.Results r = editConfig(() -> ConfigEdit.setAll(data, keyed, newListeners, newRules));
        java.util.Map<String, Object> now = new java.util.LinkedHashMap<>();
        keyed.keySet().forEach(k -> now.put(k.name(), k.valueIn(r.after())));
        if (listeners != null) now.put(ConfigKeys.LISTEN, listeners(r.after()));
        if (rules != null) now.put(ConfigKeys.MATCH, rules(r.after()));
        List<String> restart = reloadRunningEngine();
        return new Results.ConfigChanges(now, restart == null ? "stopped" : "running", restart == null ? List.of() : restart);
    }

    /** Rule {@code n} (from 1) in the words of the file; a word that is not known says which rule and what is allowed. */
    private static Config.MatchRule rule(int n, Results.Rule r) {
        Config.Action action = null;
        for (Config.Action a : Config.Action.values()) if (a.word().equals(r.action())) action = a;
        if (action == null) {
            throw new AdminException("rule " + n + ": action \"" + r.action() + "\" is not deliver, relay or reject — mailwright.conf is unchanged");
        }
        try {
            return Config.MatchRule.of(r.from() == null ? "" : r.from().strip(), r.forWhat() == null ? "" : r.forWhat().strip(), action);
        } catch (IllegalArgumentException e) {
            throw new AdminException("rule " + n + ": " + e.getMessage() + " — mailwright.conf is unchanged");
        }
    }

    @Override
    public Results.ConfigChanges smarthostLogin(String user, String password) {
        Config c = config();
        String name = c.outbound().smarthostPasswordFile().isBlank() ? SMARTHOST_PASSWORD_FILE : c.outbound().smarthostPasswordFile();
        Path file = data.resolve(name);
        java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();
        if (user == null || user.isBlank()) {
            keys.put("outbound.smarthost_user", "");
            keys.put("outbound.smarthost_password_file", "");
            Results.ConfigChanges r = configSetAll(keys, null, null);
            try {
                if (c.outbound().smarthostPasswordFile().isBlank() || !java.nio.file.Files.deleteIfExists(file)) return r;
                DurableFiles.syncDirectory(file.getParent());
            } catch (IOException e) {
                throw new AdminException("the login is removed, but " + file + " could not be deleted: " + e.getMessage());
            }
            return r;
        }
        if (password == null || password.isEmpty() || password.contains("\n") || password.contains("\r")) {
            throw new AdminException("the smarthost password must be one line, not empty — mailwright.conf is unchanged");
        }
        if (user.strip().chars().anyMatch(ch -> ch <= ' ')) {
            throw new AdminException("the smarthost user \"" + user + "\" has a space or control character — mailwright.conf is unchanged");
        }
        // The password first (mode 0600 from its first byte): the engine told of the new user finds it there.
        String before = null;
        try {
            if (java.nio.file.Files.isRegularFile(file)) before = java.nio.file.Files.readString(file);
            DurableFiles.write(file, password + "\n", true);
        } catch (IOException e) {
            throw new AdminException("cannot write the smarthost password to " + file + ": " + e.getMessage() + " — mailwright.conf is unchanged");
        }
        keys.put("outbound.smarthost_user", user.strip());
        keys.put("outbound.smarthost_password_file", name);
        try {
            return configSetAll(keys, null, null);
        } catch (AdminException e) {
            try { // the edit did not happen: the old password stays what it was
                if (before != null) DurableFiles.write(file, before, true);
                else java.nio.file.Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the AdminException below says the edit failed; the file is the one named in it
            }
            throw e;
        }
    }

    /** Where {@link #smarthostLogin} keeps the password when mailwright.conf names no file. */
    static final String SMARTHOST_PASSWORD_FILE = "smarthost.password";

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
