package org.mailwright.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwright.config.Config;
import org.mailwright.config.Defaults;

/** One predicate per criterion, first match wins; the criteria arrive parsed. */
class RulesetTest {
    private static final Config CONFIG = Defaults.config("mx.example.org", List.of("example.org"),
            Defaults.listeners("127.0.0.1", 25, 587, 465), Config.TlsMode.SELF_SIGNED, Config.DeliveryFormat.MAILDIR)
            .withMatches(List.of(
                    Config.MatchRule.of("src:192.0.2.0/24", "any", Config.Action.REJECT),
                    Config.MatchRule.of("src:2001:db8::/32", "rcpt:boss@example.net", Config.Action.RELAY),
                    Config.MatchRule.of("any", "domain:example.net", Config.Action.REJECT),
                    Config.MatchRule.of("any", "local", Config.Action.DELIVER),
                    Config.MatchRule.of("auth", "any", Config.Action.RELAY)));

    private static Ruleset.Origin from(String ip, boolean auth) throws Exception {
        return new Ruleset.Origin(InetAddress.getByName(ip), auth, false);
    }

    @ParameterizedTest(name = "{0} auth={1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            192.0.2.9     | true  | alice@example.org | 1 | REJECT  | from src:192.0.2.0/24 for any
            2001:db8::25  | false | Boss@Example.NET  | 2 | RELAY   | from src:2001:db8::/32 for rcpt:boss@example.net
            2001:db9::25  | false | boss@example.net  | 3 | REJECT  | from any for domain:example.net
            198.51.100.1  | false | alice@EXAMPLE.org | 4 | DELIVER | from any for local
            198.51.100.1  | false | bob@mx.example.org| 4 | DELIVER | from any for local
            198.51.100.1  | true  | x@elsewhere.test  | 5 | RELAY   | from auth for any
            198.51.100.1  | false | x@elsewhere.test  | 0 | REJECT  | no rule matched
            """)
    void firstMatchWins(String ip, boolean auth, String rcpt, int rule, Config.Action action, String reason) throws Exception {
        Ruleset.Decision d = new Ruleset(CONFIG).decide(from(ip, auth), rcpt);
        assertThat(d.rule()).isEqualTo(rule);
        assertThat(d.action()).isEqualTo(action);
        assertThat(d.reason()).isEqualTo(reason);
    }

    @Test
    void criteriaAreParsedOnceAndWrittenBackAsWritten() {
        Config.MatchRule m = Config.MatchRule.of("src:2001:DB8::/32", "domain:example.net", Config.Action.RELAY);
        assertThat(m.from()).isInstanceOf(Config.From.Src.class);
        assertThat(((Config.From.Src) m.from()).bits()).isEqualTo(32);
        assertThat(m.from().word()).isEqualTo("src:2001:DB8::/32");
        assertThat(m.forWhat()).isEqualTo(new Config.For.Domain("example.net"));
        assertThatThrownBy(() -> Config.MatchRule.of("src:192.0.2.0/33", "any", Config.Action.RELAY))
                .hasMessageContaining("has no valid network");
        assertThatThrownBy(() -> Config.MatchRule.of("any", "rcpt:nobody", Config.Action.RELAY))
                .hasMessageContaining("is not known");
    }
}
