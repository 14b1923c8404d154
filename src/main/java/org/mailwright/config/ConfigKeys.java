package org.mailwright.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The dotted names of mailwright.conf's keys ({@code limits.max_recipients}) for {@code config get/set}, like
 * postconf's parameter names: every scalar and list key of the model. The {@code [[listen]]} and {@code [[match]]}
 * arrays have no single value and are not keys; {@link #LISTEN} and {@link #MATCH} name them as a whole.
 */
public final class ConfigKeys {
    private ConfigKeys() {}

    /** How the value is written in TOML. Durations and choices are strings; ConfigLoader checks their words. */
    public enum Type { STRING, NUMBER, BOOLEAN, LIST }

    /**
     * One key: {@code section} empty for the top level. {@code value} is the effective value (defaults included)
     * as String, Long, Boolean or List of String.
     */
    public record Key(String name, String section, String tomlKey, Type type, Function<Config, Object> value) {
        public Object valueIn(Config c) { return value.apply(c); }
    }

    private static final List<Key> ALL = new ArrayList<>();

    /** The {@code [[listen]]} blocks, read and replaced whole ({@code config get listen}, {@code set-all} "listen"). */
    public static final String LISTEN = "listen";
    /** The {@code [[match]]} rules, read and replaced whole, in order ({@code config get match}, {@code set-all} "match"). */
    public static final String MATCH = "match";

    /** Whether {@code name} is one of the arrays of blocks rather than a key. */
    public static boolean isBlocks(String name) {
        return LISTEN.equals(name) || MATCH.equals(name);
    }

    static {
        top("hostname", Type.STRING, Config::hostname);
        top("domains", Type.LIST, Config::domains);
        top("ip", Type.STRING, Config::ip);
        top("ipv6", Type.STRING, Config::ipv6);
        top("admin", Type.STRING, Config::admin);

        key("tls", "mode", Type.STRING, c -> c.tls().mode().word());
        key("tls", "cert", Type.STRING, c -> c.tls().cert());
        key("tls", "key", Type.STRING, c -> c.tls().key());
        key("tls", "extra_names", Type.LIST, c -> c.tls().extraNames());
        key("tls", "acme_directory", Type.STRING, c -> c.tls().acmeDirectory());
        key("tls", "acme_email", Type.STRING, c -> c.tls().acmeEmail());
        key("tls", "acme_http_port", Type.NUMBER, c -> (long) c.tls().acmeHttpPort());
        key("tls", "acme_trust", Type.STRING, c -> c.tls().acmeTrust());

        key("delivery", "format", Type.STRING, c -> c.delivery().format().word());
        key("delivery", "max_message_size", Type.NUMBER, c -> c.delivery().maxMessageSize());

        key("limits", "max_connections", Type.NUMBER, c -> (long) c.limits().maxConnections());
        key("limits", "max_connections_per_ip", Type.NUMBER, c -> (long) c.limits().maxConnectionsPerIp());
        key("limits", "idle_timeout", Type.STRING, c -> Durations.format(c.limits().idleTimeout()));
        key("limits", "session_timeout", Type.STRING, c -> Durations.format(c.limits().sessionTimeout()));
        key("limits", "max_recipients", Type.NUMBER, c -> (long) c.limits().maxRecipients());
        key("limits", "soft_error_limit", Type.NUMBER, c -> (long) c.limits().softErrorLimit());
        key("limits", "hard_error_limit", Type.NUMBER, c -> (long) c.limits().hardErrorLimit());
        key("limits", "min_data_rate", Type.NUMBER, c -> c.limits().minDataRate());
        key("limits", "auth_failures_before_delay", Type.NUMBER, c -> (long) c.limits().authFailuresBeforeDelay());
        key("limits", "auth_failures_before_lockout", Type.NUMBER, c -> (long) c.limits().authFailuresBeforeLockout());
        key("limits", "auth_lockout", Type.STRING, c -> Durations.format(c.limits().authLockout()));

        key("submission", "sender_check", Type.BOOLEAN, c -> c.submission().senderCheck());
        key("submission", "send_as_anyone", Type.LIST, c -> c.submission().sendAsAnyone());

        key("queue", "retry_schedule", Type.LIST, c -> c.queue().retrySchedule().stream().map(Durations::format).toList());
        key("queue", "expire", Type.STRING, c -> Durations.format(c.queue().expire()));

        key("outbound", "resolver", Type.STRING, c -> c.outbound().resolver());
        key("outbound", "port", Type.NUMBER, c -> (long) c.outbound().port());
        key("outbound", "tls", Type.STRING, c -> c.outbound().tls().word());
        key("outbound", "smarthost", Type.STRING, c -> c.outbound().smarthost());
        key("outbound", "smarthost_user", Type.STRING, c -> c.outbound().smarthostUser());
        key("outbound", "smarthost_password_file", Type.STRING, c -> c.outbound().smarthostPasswordFile());

        key("dns", "spf_all", Type.STRING, c -> c.dns().spfAll().word());
        key("dns", "dmarc_report", Type.STRING, c -> c.dns().dmarcReport());
        key("dns", "tls_report", Type.STRING, c -> c.dns().tlsReport());
        key("dns", "blocklists", Type.LIST, c -> c.dns().blocklists());
        key("dns", "outbound_probe", Type.STRING, c -> c.dns().outboundProbe());

        key("inbound", "dmarc", Type.STRING, c -> c.inbound().dmarc().word());
        key("inbound", "dnsbl", Type.LIST, c -> c.inbound().dnsbl());
        key("inbound", "greylisting", Type.BOOLEAN, c -> c.inbound().greylisting());
        key("inbound", "greylist_delay", Type.STRING, c -> Durations.format(c.inbound().greylistDelay()));
    }

    private static void top(String name, Type type, Function<Config, Object> value) {
        ALL.add(new Key(name, "", name, type, value));
    }

    private static void key(String section, String name, Type type, Function<Config, Object> value) {
        ALL.add(new Key(section + "." + name, section, name, type, value));
    }

    public static List<Key> all() {
        return List.copyOf(ALL);
    }

    public static Optional<Key> find(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** Keys a mistyped name probably meant: same last part, or a few letters apart (as git's "did you mean"). */
    public static List<String> closeTo(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        String last = n.substring(n.lastIndexOf('.') + 1);
        return ALL.stream()
                .filter(k -> k.tomlKey().equals(last) || k.name().startsWith(n) || distance(k.name(), n) <= 3
                        || distance(k.tomlKey(), last) <= 2)
                .sorted(Comparator.comparingInt(k -> distance(k.name(), n)))
                .limit(6).map(Key::name).toList();
    }

    /** The keys whose effective values differ between two configurations, plus "listen" and "match" when those do. */
    public static List<String> changed(Config before, Config after) {
        List<String> out = new ArrayList<>();
        for (Key k : ALL) {
            if (!k.valueIn(before).equals(k.valueIn(after))) out.add(k.name());
        }
        if (!before.listeners().equals(after.listeners())) out.add("listen");
        if (!before.matches().equals(after.matches())) out.add("match");
        return out;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
