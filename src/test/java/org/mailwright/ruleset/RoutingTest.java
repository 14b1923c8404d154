package org.mailwright.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwright.config.Config;
import org.mailwright.config.Defaults;
import org.mailwright.lookup.AliasFile;
import org.mailwright.lookup.Passwd;
import org.mailwright.lookup.Recipients;
import org.mailwright.lookup.Srs;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.Spool;

/** Where one recipient goes, for every way mail arrives: the decisions RCPT, sendmail and bounces share. */
class RoutingTest {
    static final Instant NOW = Instant.parse("2026-12-03T06:00:00Z");
    static final Srs SRS = new Srs("test-secret", Clock.fixed(NOW, ZoneOffset.UTC));
    static final Config CONFIG = Defaults.config("mx.example.org", List.of("example.org", "example.net"),
            Defaults.listeners("127.0.0.1", 25, 587, 465), Config.TlsMode.SELF_SIGNED, Config.DeliveryFormat.MAILDIR);

    @TempDir static Path data;
    static Routing routing;

    @BeforeAll
    static void table() throws IOException {
        Passwd passwd = new Passwd(data);
        for (String u : List.of("alice", "bob", "carol")) passwd.set(u, "password-" + u);
        Files.writeString(data.resolve("aliases"), """
                # the usual ones
                info: alice, bob
                sales@example.org: carol@outside.test
                team: info, dave@elsewhere.test, Alice
                @example.net: alice
                a: b
                b: a
                ghost: nobody
                bob+lists: alice
                carol: carol, carol@elsewhere.test
                self: self
                """);
        routing = new Routing(CONFIG, new Recipients(CONFIG, passwd), new AliasFile(data), () -> SRS);
    }

    /** deliver → the users; relay → {@code <address>} and its sender when rewritten; reject → the reply's codes. */
    static String route(String origin, String rcpt, String sender) throws IOException {
        Ruleset.Origin o = new Ruleset.Origin(InetAddress.getByName("192.0.2.7"), origin.equals("auth"), origin.equals("local"));
        Routing.Route r = routing.route(o, rcpt, sender);
        if (r instanceof Routing.Route.Reject x) return x.reply().substring(0, 9) + (x.unknown() ? " unknown" : "");
        return ((Routing.Route.Accept) r).recipients().stream().map(RoutingTest::describe).collect(Collectors.joining(" "));
    }

    static String describe(Spool.Recipient r) {
        if (r.action() == Envelope.Action.DELIVER) return r.localUser();
        return "<" + r.to() + ">" + (r.sender() == null ? "" : " from " + (r.sender().isEmpty() ? "<>" : r.sender()).replaceAll("^SRS0=[^=]+=[^=]+=", "SRS0=H=T="));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            any   | alice@example.org          | x@sender.test | alice
            any   | Alice@EXAMPLE.org          | x@sender.test | alice
            any   | alice+news@example.org     | x@sender.test | alice
            any   | alice@mx.example.org       | x@sender.test | alice
            any   | nobody@example.org         | x@sender.test | 550 5.1.1 unknown
            any   | postmaster@example.org     | x@sender.test | alice
            any   | abuse@example.net          | x@sender.test | alice
            any   | x@elsewhere.test           | x@sender.test | 550 5.7.1
            auth  | x@elsewhere.test           | alice@example.org | <x@elsewhere.test>
            local | x@elsewhere.test           | root@mx.example.org | <x@elsewhere.test>
            any   | info@example.org           | x@sender.test | alice bob
            any   | info@example.net           | x@sender.test | alice bob
            any   | info+tag@example.org       | x@sender.test | alice bob
            any   | sales@example.org          | x@sender.test | <carol@outside.test> from SRS0=H=T=sender.test=x@example.org
            any   | sales@example.net          | x@sender.test | alice
            any   | sales@example.org          | ''            | <carol@outside.test> from <>
            auth  | sales@example.org          | bob@example.org | <carol@outside.test> from bob@example.org
            any   | team@example.org           | x@sender.test | alice bob <dave@elsewhere.test> from SRS0=H=T=sender.test=x@example.org
            any   | anything@example.net       | x@sender.test | alice
            any   | a@example.org              | x@sender.test | 550 5.4.6
            any   | ghost@example.org          | x@sender.test | 550 5.1.1 unknown
            any   | bob+lists@example.org      | x@sender.test | alice
            any   | bob+other@example.org      | x@sender.test | bob
            any   | carol@example.org          | x@sender.test | carol <carol@elsewhere.test> from SRS0=H=T=sender.test=x@example.org
            any   | self@example.org           | x@sender.test | 550 5.4.6
            """)
    void whereMailForOneRecipientGoes(String origin, String rcpt, String sender, String expected) throws IOException {
        assertThat(route(origin, org.mailwright.mail.Addresses.normalize(rcpt), sender)).isEqualTo(expected);
    }

    @Test
    void aBounceToAnSrsAddressOfOursGoesBackToTheOriginalSender() throws IOException {
        String srs = SRS.forward("x@sender.test", "example.org");
        assertThat(route("any", srs, "")).isEqualTo("<x@sender.test>");
        String forged = srs.replaceFirst("SRS0=[^=]+=", "SRS0=AAAA=");
        assertThat(route("any", forged, "")).isEqualTo("550 5.7.1");
        Srs later = new Srs("test-secret", Clock.fixed(NOW.plusSeconds(30L * 86400), ZoneOffset.UTC));
        Routing month = new Routing(CONFIG, new Recipients(CONFIG, new Passwd(data)), new AliasFile(data), () -> later);
        Routing.Route old = month.route(new Ruleset.Origin(InetAddress.getLoopbackAddress(), false, false), srs, "");
        assertThat(old).isInstanceOfSatisfying(Routing.Route.Reject.class, r -> assertThat(r.reply()).contains("older than 21 days"));
    }

    @Test
    void theRulesComeFirst() throws IOException {
        Config strict = CONFIG.withMatches(List.of(Config.MatchRule.of("src:192.0.2.0/24", "any", Config.Action.REJECT),
                Config.MatchRule.of("any", "local", Config.Action.DELIVER)));
        Routing r = new Routing(strict, new Recipients(strict, new Passwd(data)), new AliasFile(data), () -> SRS);
        Routing.Route refused = r.route(new Ruleset.Origin(InetAddress.getByName("192.0.2.7"), false, false), "alice@example.org", "");
        assertThat(refused).isInstanceOfSatisfying(Routing.Route.Reject.class,
                x -> assertThat(x.reply()).isEqualTo("550 5.7.1 <alice@example.org>: Recipient rejected by rule 1"));
    }

    @Test
    void aChangedTableHoldsAtOnceAndABrokenOneIsALookupError(@TempDir Path other) throws Exception {
        Passwd passwd = new Passwd(other);
        passwd.set("alice", "password-alice");
        Routing r = new Routing(CONFIG, new Recipients(CONFIG, passwd), new AliasFile(other), () -> SRS);
        Ruleset.Origin any = new Ruleset.Origin(InetAddress.getByName("192.0.2.7"), false, false);
        assertThat(r.route(any, "help@example.org", "")).isInstanceOf(Routing.Route.Reject.class);
        Files.writeString(other.resolve("aliases"), "help: alice\n");
        assertThat(r.route(any, "help@example.org", "")).isInstanceOf(Routing.Route.Accept.class);
        Files.writeString(other.resolve("aliases"), "help: alice\nhelp alice\n");
        assertThatThrownBy(() -> r.route(any, "help@example.org", "")).isInstanceOf(IOException.class)
                .hasMessageContaining("aliases:2:");
    }
}
