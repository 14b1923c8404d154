package org.mailwright.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mailwright.mail.Addresses;
import org.mailwright.mail.HostName;
import org.mailwright.mail.HostPort;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads {@code DATA/mailwright.conf}. Every problem is reported as
 * {@code mailwright.conf:LINE: what is wrong — what to do}, all of them at once,
 * so that {@code config check} and {@code serve} never start half-configured.
 */
public final class ConfigLoader {
    public static final String FILE_NAME = "mailwright.conf";

    private final String file;
    private final Path dataDir;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(String file, Path dataDir) {
        this.file = file;
        this.dataDir = dataDir;
    }

    /** Loads and validates the configuration of the data directory. */
    public static Config load(Path dataDir) throws ConfigException {
        Path path = dataDir.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new ConfigException(FILE_NAME + ": not found in " + dataDir
                    + " — run `mailwright init --hostname mail.example.org --domain example.org` first");
        } catch (IOException e) {
            throw new ConfigException(FILE_NAME + ": cannot be read (" + e.getMessage() + ") — check its permissions");
        }
        return parse(text, dataDir);
    }

    /** Parses configuration text; {@code dataDir} resolves relative paths (certificate files). */
    public static Config parse(String text, Path dataDir) throws ConfigException {
        return new ConfigLoader(FILE_NAME, dataDir).read(text);
    }

    public static boolean exists(Path dataDir) {
        return Files.exists(dataDir.resolve(FILE_NAME));
    }

    private Config read(String text) throws ConfigException {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            for (TomlParseError e : toml.errors()) {
                problems.add(file + ":" + e.position().line() + ": " + e.getMessage()
                        + " — fix the TOML syntax (strings need \"quotes\", tables [name], arrays [a, b])");
            }
            throw new ConfigException(problems);
        }
        Section top = new Section(toml, "", 1);
        top.known("hostname", "domains", "ip", "ipv6", "admin", "tls", "listen", "delivery", "limits",
                "submission", "queue", "outbound", "match", "dns", "inbound");

        String hostname = top.string("hostname", null);
        if (hostname == null) {
            problems.add(file + ":1: hostname is missing — add hostname = \"mail.example.org\" (the name other servers see)");
            hostname = "";
        } else if (!HostName.isValid(hostname) || !hostname.contains(".")) {
            problems.add(top.at("hostname") + "hostname \"" + hostname + "\" is not a fully qualified host name — use a name like \"mail.example.org\"");
        }
        List<String> domains = top.strings("domains", List.of());
        for (String d : domains) {
            if (!HostName.isValid(d)) {
                problems.add(top.at("domains") + "domain \"" + d + "\" is not a valid domain name — use a name like \"example.org\"");
            }
        }
        String ip = top.string("ip", "");
        if (!ip.isEmpty() && !HostName.isIpv4(ip)) {
            problems.add(top.at("ip") + "ip \"" + ip + "\" is not an IPv4 address — write it as four numbers, like \"203.0.113.7\", or leave it empty");
        }
        String ipv6 = top.string("ipv6", "");
        if (!ipv6.isEmpty() && !HostName.isIpv6(ipv6)) {
            problems.add(top.at("ipv6") + "ipv6 \"" + ipv6 + "\" is not an IPv6 address — write it like \"2001:db8::25\", or leave it empty");
        }
        String admin = top.string("admin", "");

        Config.Tls tls = readTls(top.table("tls"));
        List<Config.Listener> listeners = readListeners(top);
        Config.Delivery delivery = readDelivery(top.table("delivery"));
        Config.Limits limits = readLimits(top.table("limits"), top.table("delivery"));
        Config.Submission submission = readSubmission(top.table("submission"));
        Config.Queue queue = readQueue(top.table("queue"));
        Config.Outbound outbound = readOutbound(top.table("outbound"));
        List<Config.MatchRule> matches = readMatches(top);
        Config.Dns dns = readDns(top.table("dns"));
        Config.Inbound inbound = readInbound(top.table("inbound"));

        if (tls.mode() == Config.TlsMode.NONE) {
            for (int i = 0; i < listeners.size(); i++) {
                if (listeners.get(i).usesTls()) {
                    problems.add(file + ":" + listenerLine(top, i) + ": listener on port " + listeners.get(i).port()
                            + " wants TLS but [tls] mode is \"none\" — set tls = \"none\" on the listener or choose a certificate mode");
                }
            }
        } else if (listeners.stream().anyMatch(Config.Listener::usesTls) && dataDir != null) {
            Section tlsSection = top.table("tls");
            if (!Files.exists(tls.certPath(dataDir))) {
                problems.add(tlsSection.at("cert") + "certificate file " + tls.cert() + " does not exist — run `mailwright tls self-signed` (or `tls acme`, `tls import`) or fix the path");
            }
            if (!Files.exists(tls.keyPath(dataDir))) {
                problems.add(tlsSection.at("key") + "private key file " + tls.key() + " does not exist — run `mailwright tls self-signed` (or `tls acme`, `tls import`) or fix the path");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(hostname.toLowerCase(Locale.ROOT), domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList(),
                ip, ipv6, admin, tls, listeners, delivery, limits, submission, queue, outbound, matches, dns, inbound);
    }

    private Config.Tls readTls(Section s) {
        s.known("mode", "cert", "key", "acme_directory", "acme_email", "acme_http_port", "extra_names", "acme_trust");
        Config.Tls d = Defaults.tls(Config.TlsMode.SELF_SIGNED);
        Config.TlsMode mode = s.choice("mode", Config.TlsMode.class, d.mode());
        List<String> extraNames = s.strings("extra_names", d.extraNames());
        for (String n : extraNames) {
            if (!HostName.isValid(n) || !n.contains(".")) {
                problems.add(s.at("extra_names") + "extra name \"" + n + "\" is not a fully qualified host name — use a name like \"mta-sts.example.org\"");
            }
        }
        String directory = s.string("acme_directory", d.acmeDirectory());
        if (!directory.matches("letsencrypt|letsencrypt-staging|acme://\\S+|https://\\S+")) {
            problems.add(s.at("acme_directory") + "acme_directory \"" + directory + "\" is not known — use \"letsencrypt\", \"letsencrypt-staging\" or the https URL of an ACME directory");
        }
        return new Config.Tls(mode, s.string("cert", d.cert()), s.string("key", d.key()),
                directory, s.string("acme_email", d.acmeEmail()),
                s.port("acme_http_port", d.acmeHttpPort()),
                extraNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList(), s.string("acme_trust", d.acmeTrust()));
    }

    private List<Config.Listener> readListeners(Section top) {
        List<Section> blocks = top.tables("listen");
        if (blocks.isEmpty()) {
            problems.add(file + ":1: no [[listen]] block — add one, e.g. [[listen]] address = \"0.0.0.0\" port = 25 tls = \"starttls\" auth = \"optional\"");
        }
        List<Config.Listener> listeners = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Section b : blocks) {
            b.known("address", "port", "tls", "auth");
            String address = b.string("address", "0.0.0.0");
            if (!HostName.isIpv4(address) && !HostName.isIpv6(address) && !address.equals("localhost")) {
                problems.add(b.at("address") + "listen address \"" + address + "\" is not an IP address — use \"0.0.0.0\" (all IPv4), \"::\" (all), or one of this host's addresses");
            }
            Integer port = b.requiredPort("port");
            Config.ListenerTls tls = b.choice("tls", Config.ListenerTls.class, Config.ListenerTls.STARTTLS);
            Config.ListenerAuth auth = b.choice("auth", Config.ListenerAuth.class, Config.ListenerAuth.OPTIONAL);
            if (port != null) {
                if (!seen.add(address + ":" + port)) {
                    problems.add(b.at("port") + "a second listener on " + address + " port " + port + " — remove one of them");
                }
                if (auth == Config.ListenerAuth.REQUIRE && tls == Config.ListenerTls.NONE) {
                    problems.add(b.at("auth") + "listener on port " + port + " requires AUTH without TLS; passwords would cross the network in clear — set tls = \"require\" or \"implicit\"");
                }
                listeners.add(new Config.Listener(address, port, tls, auth));
            }
        }
        return listeners;
    }

    private Config.Delivery readDelivery(Section s) {
        s.known("format", "max_message_size", "max_recipients"); // max_recipients: read by readLimits (older files)
        Config.DeliveryFormat format = s.choice("format", Config.DeliveryFormat.class, Config.DeliveryFormat.MAILDIR);
        long max = s.longRange("max_message_size", Defaults.MAX_MESSAGE_SIZE, 1024, Integer.MAX_VALUE - 1L,
                "a size in bytes from 1024 to 2147483646, like 36700160 for 35 MB");
        return new Config.Delivery(format, max);
    }

    /** {@code delivery}: older files have max_recipients there; [limits] wins when both say it. */
    private Config.Limits readLimits(Section s, Section delivery) {
        s.known("max_connections", "max_connections_per_ip", "idle_timeout", "session_timeout", "max_recipients",
                "soft_error_limit", "hard_error_limit", "min_data_rate", "auth_failures_before_delay",
                "auth_failures_before_lockout", "auth_lockout");
        Config.Limits d = Defaults.limits();
        String recipients = "a number from 1 to 100000 (RFC 5321 asks for at least 100; Postfix uses 1000)";
        Section rcpt = s.table.contains("max_recipients") || !delivery.table.contains("max_recipients") ? s : delivery;
        return new Config.Limits(
                (int) s.longRange("max_connections", d.maxConnections(), 1, 100000, "a number of connections from 1 to 100000"),
                (int) s.longRange("max_connections_per_ip", d.maxConnectionsPerIp(), 1, 100000, "a number of connections from 1 to 100000"),
                // SubEthaSMTP takes the idle timeout as int milliseconds: past ~24 days it overflows (and kills the listener)
                s.durationRange("idle_timeout", d.idleTimeout(), true, Duration.ofSeconds(1), Duration.ofHours(1)),
                (int) s.longRange("auth_failures_before_delay", d.authFailuresBeforeDelay(), 1, 1000, "a number of failures from 1 to 1000"),
                (int) s.longRange("auth_failures_before_lockout", d.authFailuresBeforeLockout(), 1, 1000, "a number of failures from 1 to 1000"),
                s.durationRange("auth_lockout", d.authLockout(), false, Duration.ofSeconds(1), Duration.ofDays(1)),
                (int) rcpt.longRange("max_recipients", d.maxRecipients(), 1, 100000, recipients),
                (int) s.longRange("soft_error_limit", d.softErrorLimit(), 1, 1000, "a number of failed commands from 1 to 1000"),
                (int) s.longRange("hard_error_limit", d.hardErrorLimit(), 1, 1000, "a number of failed commands from 1 to 1000"),
                s.durationRange("session_timeout", d.sessionTimeout(), true, Duration.ofSeconds(1), Duration.ofDays(1)),
                s.longRange("min_data_rate", d.minDataRate(), 0, 1_000_000_000L,
                        "bytes per second from 0 (no minimum) to 1000000000, like 500 (Postfix's smtpd_min_data_rate)"));
    }

    private Config.Submission readSubmission(Section s) {
        s.known("sender_check", "send_as_anyone");
        return new Config.Submission(s.bool("sender_check", true), s.strings("send_as_anyone", List.of()));
    }

    private Config.Queue readQueue(Section s) {
        s.known("retry_schedule", "expire");
        Config.Queue d = Defaults.queue();
        List<Duration> schedule = new ArrayList<>();
        List<String> words = s.strings("retry_schedule", null);
        if (words == null) {
            schedule.addAll(d.retrySchedule());
        } else {
            for (String w : words) {
                Duration r = s.durationValue("retry_schedule", w, false, Duration.ofSeconds(1), Duration.ofDays(1));
                if (r != null) schedule.add(r);
            }
            if (words.isEmpty()) {
                problems.add(s.at("retry_schedule") + "retry_schedule is empty — list at least one delay, like [\"5m\", \"1h\"]");
            }
        }
        return new Config.Queue(schedule, s.durationRange("expire", d.expire(), false, Duration.ofSeconds(1), Duration.ofDays(30)));
    }

    private Config.Outbound readOutbound(Section s) {
        s.known("resolver", "port", "tls", "smarthost", "smarthost_user", "smarthost_password_file");
        Config.Outbound d = Defaults.outbound();
        String resolver = s.string("resolver", d.resolver());
        if (!resolver.isEmpty() && !HostPort.isValid(resolver)) {
            problems.add(s.at("resolver") + "resolver \"" + resolver + "\" is not HOST:PORT — write it like \"127.0.0.1:53\", or leave it empty for the system resolver");
        }
        String smarthost = s.string("smarthost", d.smarthost());
        if (!smarthost.isEmpty() && !HostPort.isValid(smarthost)) {
            problems.add(s.at("smarthost") + "smarthost \"" + smarthost + "\" is not HOST:PORT — write it like \"smtp.provider.example:587\"");
        }
        return new Config.Outbound(resolver, s.port("port", d.port()),
                s.choice("tls", Config.OutboundTls.class, d.tls()), smarthost,
                s.string("smarthost_user", ""), s.string("smarthost_password_file", ""));
    }

    private Config.Dns readDns(Section s) {
        s.known("spf_all", "dmarc_report", "tls_report", "blocklists", "outbound_probe");
        Config.Dns d = Defaults.dns();
        Config.SpfAll spfAll = d.spfAll();
        String all = s.string("spf_all", d.spfAll().word());
        switch (all) {
            case "-all" -> spfAll = Config.SpfAll.FAIL;
            case "~all" -> spfAll = Config.SpfAll.SOFTFAIL;
            default -> problems.add(s.at("spf_all") + "spf_all = \"" + all + "\" is not \"-all\" or \"~all\" — use \"-all\" (others fail SPF) or \"~all\" (others soft-fail)");
        }
        String dmarc = s.string("dmarc_report", d.dmarcReport());
        String tlsReport = s.string("tls_report", d.tlsReport());
        for (String[] kv : new String[][] {{"dmarc_report", dmarc}, {"tls_report", tlsReport}}) {
            if (!kv[1].isEmpty() && !isMailbox(kv[1])) {
                problems.add(s.at(kv[0]) + kv[0] + " \"" + kv[1] + "\" is not a mail address — write it like \"dmarc@example.org\", or leave it empty for postmaster@ of each domain");
            }
        }
        List<String> blocklists = s.strings("blocklists", d.blocklists());
        for (String zone : blocklists) {
            if (!HostName.isValid(zone) || !zone.contains(".")) {
                problems.add(s.at("blocklists") + "blocklist zone \"" + zone + "\" is not a DNS zone — write it like \"zen.spamhaus.org\"");
            }
        }
        String probe = s.string("outbound_probe", d.outboundProbe());
        if (!HostPort.isValid(probe)) {
            problems.add(s.at("outbound_probe") + "outbound_probe \"" + probe + "\" is not HOST:PORT — write it like \"" + Defaults.OUTBOUND_PROBE + "\"");
        }
        return new Config.Dns(spfAll, dmarc, tlsReport, blocklists, probe);
    }

    private Config.Inbound readInbound(Section s) {
        s.known("dmarc", "dnsbl", "greylisting", "greylist_delay");
        Config.Inbound d = Defaults.inbound();
        List<String> zones = s.strings("dnsbl", d.dnsbl());
        for (String zone : zones) {
            if (!HostName.isValid(zone) || !zone.contains(".")) {
                problems.add(s.at("dnsbl") + "blocklist zone \"" + zone + "\" is not a DNS zone — write it like \"zen.spamhaus.org\"");
            }
        }
        return new Config.Inbound(s.choice("dmarc", Config.DmarcMode.class, d.dmarc()), zones,
                s.bool("greylisting", d.greylisting()),
                s.durationRange("greylist_delay", d.greylistDelay(), false, Duration.ofSeconds(1), Duration.ofHours(1)));
    }

    private static boolean isMailbox(String s) {
        String local = Addresses.localPart(s);
        return !local.isEmpty() && !local.matches(".*[\\s<>\"].*") && HostName.isValid(Addresses.domainOf(s));
    }

    private List<Config.MatchRule> readMatches(Section top) {
        List<Section> blocks = top.tables("match");
        if (!top.table.contains("match")) {
            return Defaults.matches();
        }
        List<Config.MatchRule> rules = new ArrayList<>();
        for (Section b : blocks) {
            b.known("from", "for", "action");
            Config.From from = b.parsed("from", "any", Config.From::parse);
            Config.For forWhat = b.parsed("for", "any", Config.For::parse);
            Config.Action action = b.choice("action", Config.Action.class, null);
            if (action == null && !b.table.contains("action")) {
                problems.add(b.line() + "match rule has no action — add action = \"deliver\", \"relay\" or \"reject\"");
            }
            if (from != null && forWhat != null) {
                rules.add(new Config.MatchRule(from, forWhat, action == null ? Config.Action.REJECT : action));
            }
        }
        return rules;
    }

    private int listenerLine(Section top, int index) {
        TomlArray a = top.table.getArray("listen");
        return a == null ? 1 : a.inputPositionOf(index).line();
    }

    private static boolean all(TomlArray a, Class<?> type) {
        for (int i = 0; i < a.size(); i++) {
            if (!type.isInstance(a.get(i))) return false;
        }
        return true;
    }

    static boolean isCidr(String s) {
        String[] parts = s.split("/", 2);
        if (!HostName.isIpv4(parts[0]) && !HostName.isIpv6(parts[0])) return false;
        if (parts.length == 1) return true;
        if (!parts[1].matches("\\d{1,3}")) return false;
        int bits = Integer.parseInt(parts[1]);
        return bits <= (HostName.isIpv4(parts[0]) ? 32 : 128);
    }

    /** One TOML table with its name, for reading typed values and reporting problems at their lines. */
    private final class Section {
        final TomlTable table;
        final String name;
        final int line;

        Section(TomlTable table, String name, int line) {
            this.table = table;
            this.name = name;
            this.line = line;
        }

        String line() {
            return file + ":" + line + ": ";
        }

        String at(String key) {
            TomlPosition p = table.contains(key) ? table.inputPositionOf(key) : null;
            return file + ":" + (p == null ? line : p.line()) + ": ";
        }

        String keyName(String key) {
            return name.isEmpty() ? key : name + "." + key;
        }

        void known(String... keys) {
            Set<String> ok = Set.of(keys);
            for (String key : table.keySet()) {
                if (!ok.contains(key)) {
                    problems.add(at(key) + "unknown key \"" + keyName(key) + "\" — remove it or check the spelling (known here: "
                            + String.join(", ", keys) + ")");
                }
            }
        }

        Section table(String key) {
            Object v = table.get(key);
            if (v == null) return new Section(org.tomlj.Toml.parse(""), key, line);
            if (!(v instanceof TomlTable t)) {
                problems.add(at(key) + "\"" + keyName(key) + "\" must be a table [" + key + "] — write it as a [" + key + "] section");
                return new Section(org.tomlj.Toml.parse(""), key, line);
            }
            return new Section(t, key, table.inputPositionOf(key).line());
        }

        List<Section> tables(String key) {
            Object v = table.get(key);
            if (v == null) return List.of();
            if (!(v instanceof TomlArray a) || !all(a, TomlTable.class)) {
                problems.add(at(key) + "\"" + key + "\" must be written as [[" + key + "]] blocks");
                return List.of();
            }
            List<Section> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                out.add(new Section(a.getTable(i), key, a.inputPositionOf(i).line()));
            }
            return out;
        }

        String string(String key, String fallback) {
            Object v = table.get(key);
            if (v == null) return fallback;
            if (v instanceof String s) return s;
            problems.add(at(key) + "\"" + keyName(key) + "\" must be a string in quotes, not " + describe(v) + " — write " + key + " = \"…\"");
            return fallback;
        }

        /** A string turned into a typed value by {@code parse}, whose IllegalArgumentException is the problem; null then. */
        <T> T parsed(String key, String fallback, java.util.function.Function<String, T> parse) {
            int before = problems.size();
            String text = string(key, fallback);
            if (problems.size() != before) return null;
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                problems.add(at(key) + e.getMessage());
                return null;
            }
        }

        boolean bool(String key, boolean fallback) {
            Object v = table.get(key);
            if (v == null) return fallback;
            if (v instanceof Boolean b) return b;
            problems.add(at(key) + "\"" + keyName(key) + "\" must be true or false, not " + describe(v));
            return fallback;
        }

        List<String> strings(String key, List<String> fallback) {
            Object v = table.get(key);
            if (v == null) return fallback;
            if (v instanceof TomlArray a && all(a, String.class)) {
                List<String> out = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) out.add(a.getString(i));
                return out;
            }
            problems.add(at(key) + "\"" + keyName(key) + "\" must be a list of strings, like [\"a\", \"b\"], not " + describe(v));
            return fallback == null ? List.of() : fallback;
        }

        long longRange(String key, long fallback, long min, long max, String what) {
            Object v = table.get(key);
            if (v == null) return fallback;
            if (!(v instanceof Long n)) {
                problems.add(at(key) + "\"" + keyName(key) + "\" must be a number, not " + describe(v) + " — write " + what);
                return fallback;
            }
            if (n < min || n > max) {
                problems.add(at(key) + "\"" + keyName(key) + "\" = " + n + " is out of range " + min + ".." + max + " — write " + what);
                return fallback;
            }
            return n;
        }

        int port(String key, int fallback) {
            return (int) longRange(key, fallback, 1, 65535, "a port from 1 to 65535");
        }

        Integer requiredPort(String key) {
            if (!table.contains(key)) {
                problems.add(line() + "[[" + name + "]] has no port — add port = 25 (or 587, 465, …)");
                return null;
            }
            int before = problems.size();
            int p = port(key, 0);
            return problems.size() == before ? p : null;
        }

        /**
         * A duration from {@code min} to {@code max}; with {@code zeroMeansNone} also "0s", for a timeout that
         * can be switched off. Everything the engine hands on (to SubEthaSMTP as int milliseconds, to schedulers)
         * then fits.
         */
        Duration durationRange(String key, Duration fallback, boolean zeroMeansNone, Duration min, Duration max) {
            Object v = table.get(key);
            if (v == null) return fallback;
            if (!(v instanceof String text)) {
                problems.add(at(key) + "\"" + keyName(key) + "\" must be a duration string like \"5m\", not " + describe(v)
                        + " — write " + rangeWords(zeroMeansNone, min, max));
                return fallback;
            }
            Duration d = durationValue(key, text, zeroMeansNone, min, max);
            return d == null ? fallback : d;
        }

        /** One duration text of {@code key} (also an entry of a list), or null after reporting the problem. */
        Duration durationValue(String key, String text, boolean zeroMeansNone, Duration min, Duration max) {
            Duration d;
            try {
                d = Durations.parse(text);
            } catch (IllegalArgumentException | ArithmeticException e) {
                problems.add(at(key) + "\"" + keyName(key) + "\": \"" + text + "\" is not a duration — write " + rangeWords(zeroMeansNone, min, max));
                return null;
            }
            if (d.isZero() && zeroMeansNone) return d;
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problems.add(at(key) + "\"" + keyName(key) + "\" = \"" + text + "\" is out of range "
                        + (zeroMeansNone ? "0s or " : "") + Durations.format(min) + ".." + Durations.format(max)
                        + " — write " + rangeWords(zeroMeansNone, min, max));
                return null;
            }
            return d;
        }

        private String rangeWords(boolean zeroMeansNone, Duration min, Duration max) {
            return "a number and s, m, h or d from " + Durations.format(min) + " to " + Durations.format(max)
                    + ", like \"5m\"" + (zeroMeansNone ? ", or \"0s\" for none" : "");
        }

        <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
            Object v = table.get(key);
            if (v == null) return fallback;
            List<String> words = new ArrayList<>();
            for (E e : type.getEnumConstants()) words.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            if (v instanceof String s) {
                for (E e : type.getEnumConstants()) {
                    if (e.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(s)) return e;
                }
                problems.add(at(key) + "\"" + keyName(key) + "\" = \"" + s + "\" is not one of " + String.join(", ", words)
                        + " — use one of those");
                return fallback;
            }
            problems.add(at(key) + "\"" + keyName(key) + "\" must be one of " + String.join(", ", words) + " in quotes, not " + describe(v));
            return fallback;
        }

        private String describe(Object v) {
            if (v instanceof Long n) return "the number " + n;
            if (v instanceof Boolean b) return "the boolean " + b;
            if (v instanceof String s) return "the string \"" + s + "\"";
            if (v instanceof TomlArray) return "a list";
            if (v instanceof TomlTable) return "a table";
            return "a " + v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        }
    }
}
