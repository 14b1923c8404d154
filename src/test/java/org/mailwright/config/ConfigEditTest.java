package org.mailwright.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config set} edits the text in place: one line changes, comments and every other key stay. */
class ConfigEditTest {
    @TempDir
    Path data;
    Path file;
    String original;

    @BeforeEach
    void write() throws Exception {
        Config c = Defaults.config("mx.example.org", List.of("example.org"), Defaults.listeners("127.0.0.1", 2525, 2587, 2465),
                Config.TlsMode.NONE, Config.DeliveryFormat.MAILDIR);
        c = c.withListeners(List.of(Defaults.listener("127.0.0.1", 2525).withTls(Config.ListenerTls.NONE)));
        String text = ConfigWriter.toToml(c)
                .replace("max_recipients = 1000\n", "max_recipients = 50   # the list server sends to 50 at a time\n")
                .replace("retry_schedule = [", "# our own note\nretry_schedule = [");
        // No [dns] section: config set must add it.
        text = text.substring(0, text.indexOf("[dns]"));
        file = data.resolve(ConfigLoader.FILE_NAME);
        Files.writeString(file, text);
        original = text;
    }

    private static List<String> changedLines(String a, String b) {
        List<String> x = new ArrayList<>(List.of(b.split("\n", -1)));
        x.removeAll(List.of(a.split("\n", -1)));
        return x;
    }

    @Test
    void aValueIsReplacedOnItsLineAndItsCommentStays() throws Exception {
        ConfigEdit.Result r = ConfigEdit.set(data, ConfigKeys.find("limits.max_recipients").orElseThrow(), "2");
        String after = Files.readString(file);
        assertThat(changedLines(original, after)).containsExactly("max_recipients = 2   # the list server sends to 50 at a time");
        assertThat(after.lines().count()).isEqualTo(original.lines().count());
        assertThat(r.after()).isEqualTo(r.before().withLimits(r.before().limits().withMaxRecipients(2)));
    }

    /** What the TLS view and a wizard re-run save goes through: the changed keys only, comments kept. */
    @Test
    void savingAChangedConfigurationEditsOnlyWhatChanged() throws Exception {
        Config before = ConfigLoader.load(data);
        Config changed = before.withTls(before.tls().withMode(Config.TlsMode.SELF_SIGNED).withExtraNames(List.of("smtp.example.org")));
        ConfigEdit.saveChanges(data, changed);
        String after = Files.readString(file);
        assertThat(ConfigLoader.load(data)).isEqualTo(changed);
        assertThat(after).contains("# the list server sends to 50 at a time").contains("# our own note");
        assertThat(changedLines(original, after)).containsExactlyInAnyOrder("mode = \"self-signed\"", "extra_names = [\"smtp.example.org\"]");
        ConfigEdit.saveChanges(data, changed); // nothing changed: nothing written
        assertThat(Files.readString(file)).isEqualTo(after);
    }

    /** A wizard re-run or the Settings view changing the rules: the [[match]] blocks are replaced where they were. */
    @Test
    void changedRulesAreWrittenInPlaceAndTheRestStays() throws Exception {
        Config before = ConfigLoader.load(data);
        List<Config.MatchRule> rules = List.of(Config.MatchRule.of("src:192.0.2.0/24", "any", Config.Action.RELAY),
                Config.MatchRule.of("any", "local", Config.Action.DELIVER));
        ConfigEdit.saveChanges(data, before.withMatches(rules));
        String after = Files.readString(file);
        assertThat(ConfigLoader.load(data)).isEqualTo(before.withMatches(rules));
        assertThat(after).contains("# the list server sends to 50 at a time").contains("# our own note")
                .containsOnlyOnce("# Rules, first match wins").containsOnlyOnce("from = \"src:192.0.2.0/24\"");
        // Only the rule lines differ.
        assertThat(changedLines(original, after)).allMatch(l -> l.isBlank() || l.startsWith("from =") || l.startsWith("for =")
                || l.startsWith("action =") || l.equals("[[match]]"));
        ConfigEdit.saveChanges(data, before.withMatches(List.of()));
        assertThat(ConfigLoader.load(data).matches()).isEmpty();
        assertThat(Files.readString(file)).doesNotContain("[[match]]").contains("match = []");
    }

    @Test
    void listsDurationsAndStringsAreTyped() throws Exception {
        ConfigEdit.set(data, ConfigKeys.find("queue.retry_schedule").orElseThrow(), "1m, 1h");
        ConfigEdit.set(data, ConfigKeys.find("domains").orElseThrow(), "[\"example.org\", \"example.net\"]");
        ConfigEdit.set(data, ConfigKeys.find("outbound.tls").orElseThrow(), "require");
        ConfigEdit.set(data, ConfigKeys.find("submission.sender_check").orElseThrow(), "false");
        Config c = ConfigLoader.load(data);
        assertThat(c.queue().retrySchedule()).containsExactly(Duration.ofMinutes(1), Duration.ofHours(1));
        assertThat(c.domains()).containsExactly("example.org", "example.net");
        assertThat(c.outbound().tls()).isEqualTo(Config.OutboundTls.REQUIRE);
        assertThat(c.submission().senderCheck()).isFalse();
        assertThat(Files.readString(file)).contains("# our own note\nretry_schedule = [\"1m\", \"1h\"]");
    }

    @Test
    void aMissingKeyOrSectionIsAdded() throws Exception {
        ConfigEdit.set(data, ConfigKeys.find("dns.spf_all").orElseThrow(), "~all");
        Files.writeString(file, Files.readString(file).replace("acme_trust = \"\"\n", ""));
        ConfigEdit.set(data, ConfigKeys.find("tls.acme_trust").orElseThrow(), "tls/ca.pem");
        Config c = ConfigLoader.load(data);
        assertThat(c.dns().spfAll()).isEqualTo(Config.SpfAll.SOFTFAIL);
        assertThat(c.tls().acmeTrust()).isEqualTo("tls/ca.pem");
        String after = Files.readString(file);
        assertThat(after).endsWith("\n[dns]\nspf_all = \"~all\"\n");
        assertThat(after).contains("acme_http_port = 80\n").contains("max_recipients = 50   # the list server");
    }

    @Test
    void aValueOutOfRangeOrOfTheWrongTypeChangesNothing() throws Exception {
        assertThatThrownBy(() -> ConfigEdit.set(data, ConfigKeys.find("limits.idle_timeout").orElseThrow(), "30d"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("idle_timeout").hasMessageContaining("out of range");
        assertThatThrownBy(() -> ConfigEdit.set(data, ConfigKeys.find("limits.max_recipients").orElseThrow(), "many"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number");
        assertThatThrownBy(() -> ConfigEdit.set(data, ConfigKeys.find("outbound.tls").orElseThrow(), "sometimes"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("opportunistic, require, none");
        assertThat(Files.readString(file)).isEqualTo(original);
    }

    @Test
    void everyKeyReadsBackWhatConfigGetShows() throws Exception {
        Config c = ConfigLoader.load(data);
        for (ConfigKeys.Key k : ConfigKeys.all()) {
            Object v = k.valueIn(c);
            String input = v instanceof List<?> l ? String.join(", ", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
            ConfigEdit.Result r = ConfigEdit.set(data, k, input);
            assertThat(r.after()).as(k.name()).isEqualTo(c);
        }
    }

    @Test
    void closeKeysForATypo() {
        assertThat(ConfigKeys.closeTo("limits.max_recipient")).contains("limits.max_recipients");
        assertThat(ConfigKeys.closeTo("max_recipients")).contains("limits.max_recipients");
        assertThat(ConfigKeys.closeTo("outbound.tsl")).contains("outbound.tls");
    }
}
