package org.mailwright.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the admin operations return. Each record is the {@code --json} output of its command (snake_case fields);
 * {@link RemoteAdmin} reads the remote command's output back into the same record, and unknown fields are ignored
 * so that an older desk can talk to a newer server.
 */
public final class Results {
    private Results() {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record User(@JsonProperty("name") String name) {}

    /** One line of DATA/aliases: the name ({@code info}, {@code info@example.org}, {@code @example.org}) and its targets. */
    public record Alias(@JsonProperty("name") String name, @JsonProperty("targets") List<String> targets) {}

    /** The certificate as people check it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Certificate(
            @JsonProperty("subject") String subject,
            @JsonProperty("names") List<String> names,
            @JsonProperty("issuer") String issuer,
            @JsonProperty("self_signed") boolean selfSigned,
            @JsonProperty("not_after") String notAfter,
            @JsonProperty("days_left") long daysLeft,
            @JsonProperty("key_type") String keyType,
            @JsonProperty("serial") String serial) {}

    /** {@code tls status}: certificate null when TLS is off or no file exists yet. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TlsStatus(
            @JsonProperty("mode") String mode,
            @JsonProperty("acme_directory") String acmeDirectory,
            @JsonProperty("cert_file") String certFile,
            @JsonProperty("chain_length") int chainLength,
            @JsonProperty("certificate") Certificate certificate,
            @JsonProperty("warnings") List<String> warnings,
            @JsonProperty("notes") List<String> notes) {}

    /** A certificate written by {@code tls self-signed|import|acme}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TlsInstalled(
            @JsonProperty("cert_file") String certFile,
            @JsonProperty("key_file") String keyFile,
            @JsonProperty("certificate") Certificate certificate,
            @JsonProperty("notes") List<String> notes) {}

    /** {@code tls acme} options; null fields keep what mailwright.conf says. {@code trust} is a file on this machine. */
    public record AcmeOptions(String directory, String email, Integer httpPort, Path trust) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DkimRecord(@JsonProperty("name") String name, @JsonProperty("value") String value, @JsonProperty("zone") String zone) {}

    /** A DKIM key in DATA/dkim ({@code dkim keygen --json}, one item of {@code dkim list --json}) and its records. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DkimKeyInfo(
            @JsonProperty("selector") String selector,
            @JsonProperty("key_file") String keyFile,
            @JsonProperty("key_type") String keyType,
            @JsonProperty("bits") int bits,
            @JsonProperty("records") List<DkimRecord> records) {}

    /** {@code dns check}: the rows as DnsCheck.toMap writes them; {@code text} is the report for people. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DnsCheckReport(
            @JsonProperty("hostname") String hostname,
            @JsonProperty("resolver") String resolver,
            @JsonProperty("ok") boolean ok,
            @JsonProperty("rows") List<Map<String, Object>> rows,
            @JsonProperty("notes") List<String> notes,
            @JsonProperty("text") String text) {}

    public record CheckOptions(String resolver, String probeHost, int timeoutSeconds) {}

    /** {@code check}: score out of 10, DNS rows and findings; {@code text} is the report for people. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SelfTestReport(
            @JsonProperty("hostname") String hostname,
            @JsonProperty("score") double score,
            @JsonProperty("any_failure") boolean anyFailure,
            @JsonProperty("dns") List<Map<String, Object>> dns,
            @JsonProperty("findings") List<Map<String, Object>> findings,
            @JsonProperty("text") String text) {}

    /** One {@code [[match]]} rule in the words of mailwright.conf: from any|local|auth|src:CIDR, for any|local|domain:D|rcpt:A. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rule(@JsonProperty("from") String from, @JsonProperty("for") String forWhat, @JsonProperty("action") String action) {}

    private static final com.fasterxml.jackson.databind.ObjectMapper FIELDS = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The {@code listen} value of {@link Admin#configShow} or {@link Admin#configGet}: records here, JSON maps from a server. */
    public static List<Listener> listenersOf(Object value) {
        return value == null ? List.of() : FIELDS.convertValue(value, new com.fasterxml.jackson.core.type.TypeReference<List<Listener>>() {});
    }

    /** The {@code match} value of {@link Admin#configShow} or {@link Admin#configGet}, as {@link #listenersOf}. */
    public static List<Rule> rulesOf(Object value) {
        return value == null ? List.of() : FIELDS.convertValue(value, new com.fasterxml.jackson.core.type.TypeReference<List<Rule>>() {});
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Listener(@JsonProperty("address") String address, @JsonProperty("port") int port,
                           @JsonProperty("tls") String tls, @JsonProperty("auth") String auth) {}

    /** Counted from today's maillog lines (UTC day), so they survive engine restarts. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Counters(
            @JsonProperty("received") long received,
            @JsonProperty("delivered") long delivered,
            @JsonProperty("deferred") long deferred,
            @JsonProperty("bounced") long bounced,
            @JsonProperty("auth_failures") long authFailures) {}

    /**
     * {@code status}: running is asked of the control socket; uptime_seconds is null when stopped. queue_size comes
     * from the engine when it runs, else from the spool on disk.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Status(
            @JsonProperty("running") boolean running,
            @JsonProperty("version") String version,
            @JsonProperty("hostname") String hostname,
            @JsonProperty("domains") List<String> domains,
            @JsonProperty("listeners") List<Listener> listeners,
            @JsonProperty("queue_size") int queueSize,
            @JsonProperty("certificate") Certificate certificate,
            @JsonProperty("dkim_selectors") List<String> dkimSelectors,
            @JsonProperty("uptime_seconds") Long uptimeSeconds,
            @JsonProperty("today") Counters today) {}

    /** {@code config get KEY --json}: the effective value (defaults included); a string, number, boolean or list. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ConfigValue(@JsonProperty("key") String key, @JsonProperty("value") Object value) {}

    /**
     * {@code config set KEY VALUE --json}: the value now in force, whether an engine runs, and the changed keys it
     * could not apply live (empty: applied, or nothing runs).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ConfigChange(@JsonProperty("key") String key, @JsonProperty("value") Object value,
                               @JsonProperty("engine") String engine, @JsonProperty("restart") List<String> restart) {
        public boolean running() {
            return "running".equals(engine);
        }
    }

    /**
     * {@code config set-all --json}: the values now in force per key, whether an engine runs, and the changed keys it
     * could not apply live.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ConfigChanges(@JsonProperty("values") Map<String, Object> values, @JsonProperty("engine") String engine,
                                @JsonProperty("restart") List<String> restart) {
        public boolean running() {
            return "running".equals(engine);
        }
    }

    /** {@code config check --json}: what start would say of mailwright.conf ({@code file:line: …} lines). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ConfigCheck(@JsonProperty("ok") boolean ok, @JsonProperty("summary") String summary,
                              @JsonProperty("problems") List<String> problems) {}
}
