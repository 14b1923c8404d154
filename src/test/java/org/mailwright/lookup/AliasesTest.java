package org.mailwright.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The aliases table: what each address reaches, first match wins, and the errors with their line. */
class AliasesTest {
    static final String TABLE = """
            # who gets what
            info: alice, bob
            sales@example.org: carol, partner@elsewhere.test
            team: info,
              carol        # continued on the next line
            alice: alice, alice@phone.test
            @second.test: bob
            loop1: loop2
            loop2: loop1
            self: self
            dangling: nobody
            """;
    static final Set<String> USERS = Set.of("alice", "bob", "carol");
    static final Set<String> DOMAINS = Set.of("example.org", "second.test");

    static Aliases.Expansion expand(String address) throws Exception {
        return Aliases.parse(TABLE, "aliases").expand(address, USERS::contains, DOMAINS::contains);
    }

    @ParameterizedTest(name = "{0} -> users [{1}] forwards [{2}]")
    @CsvSource(delimiter = '|', value = {
            "info@example.org          | alice bob       | alice@phone.test",
            "info@second.test          | alice bob       | alice@phone.test",
            "sales@example.org         | carol           | partner@elsewhere.test",
            "sales@second.test         | bob             | ''",                       // not that domain's alias: the catch-all
            "team@example.org          | alice bob carol | alice@phone.test",
            "alice@example.org         | alice           | alice@phone.test",         // keep a copy and forward
            "carol@example.org         | carol           | ''",
            "anything@second.test      | bob             | ''",
            "nobody@example.org        | ''              | ''",                       // unknown: refused at RCPT
            "dangling@example.org      | ''              | ''",
            "INFO@Example.ORG          | alice bob       | alice@phone.test"})
    void expansions(String address, String users, String forwards) throws Exception {
        Aliases.Expansion e = expand(address);
        assertThat(e.users()).isEqualTo(users.isEmpty() ? List.of() : List.of(users.split(" ")));
        assertThat(e.forwards()).isEqualTo(forwards.isEmpty() ? List.of() : List.of(forwards.split(" ")));
        assertThat(e.reachesNobody()).isEqualTo(users.isEmpty() && forwards.isEmpty());
    }

    @Test
    void loopsAreFoundWithTheirPath() {
        assertThatThrownBy(() -> expand("loop1@example.org")).isInstanceOf(Aliases.Unresolvable.class)
                .hasMessage("the alias loop1 (line 8) loops: loop1 → loop2 → loop1");
        assertThatThrownBy(() -> expand("self@example.org")).isInstanceOf(Aliases.Unresolvable.class).hasMessageContaining("loops");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "info alice                      | aliases:1: \"info alice\" is not NAME: TARGET, TARGET …",
            "info: /var/mail/info            | aliases:1: info → /var/mail/info: delivery to files, commands and includes is not supported — give users or addresses",
            "info: :include:/etc/team        | aliases:1: info → :include:/etc/team: delivery to files, commands and includes is not supported — give users or addresses",
            "info:                           | aliases:1: info has no target — name a user or an address after the colon",
            "in fo: alice                    | aliases:1: \"in fo\" is not an alias name: use letters, digits and . _ + -",
            "info@bad_domain: alice          | aliases:1: \"bad_domain\" in \"info@bad_domain\" is not a domain",
            "'  alice'                       | aliases:1: a continuation line with no alias before it — start the line with NAME:"})
    void malformedLinesNameTheirLine(String line, String message) {
        assertThatThrownBy(() -> Aliases.parse(line, "aliases")).isInstanceOf(Aliases.Malformed.class).hasMessage(message);
    }

    @Test
    void aNameTwiceIsAnError() {
        assertThatThrownBy(() -> Aliases.parse("info: a\n\ninfo: b\n", "DATA/aliases")).isInstanceOf(Aliases.Malformed.class)
                .hasMessage("DATA/aliases:3: info is already defined on line 1 — put all its targets on one line");
        assertThat(Aliases.empty().entries()).isEmpty();
        assertThatThrownBy(() -> Aliases.parse("# a command\nlist: |/usr/bin/procmail\n", "aliases")).isInstanceOf(Aliases.Malformed.class)
                .hasMessageStartingWith("aliases:2: list → |/usr/bin/procmail: delivery to files, commands");
    }
}
