package org.mailwright.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailwright.config.Config;
import org.mailwright.config.Defaults;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/** The exported smtpd.conf passes the real OpenSMTPD's {@code smtpd -n} (Debian's opensmtpd, unpacked by .ci/run). */
class OpenSmtpdExportTest {
    /** opensmtpd conflicts with postfix, so CI unpacks it here instead of installing it. */
    static final Path SMTPD = Path.of("/opt/opensmtpd-extract/usr/sbin/smtpd");

    @TempDir Path tmp;

    static String smtpd() {
        if (!Files.isExecutable(SMTPD)) {
            throw new AssertionError(SMTPD + " is missing; it is the real peer that validates the export: "
                    + "apt-get download opensmtpd && dpkg -x opensmtpd_*.deb /opt/opensmtpd-extract (see .ci/run)");
        }
        return SMTPD.toString();
    }

    /** DATA/aliases with every form Mailwright reads: OpenSMTPD's file table reads only some of them the same way. */
    static final String ALIASES = """
            # the team
            info: alice, bob
            sales: carol@partner.test   # outside
            team: info,
              bob
            @example.org: alice
            webmaster@example.org: bob
            postmaster: bob
            """;

    @ParameterizedTest
    @ValueSource(strings = {"one-domain", "two-domains", "mbox", "no-auth-on-25", "send-as-anyone", "aliases", "mbox-aliases"})
    void exportPassesSmtpdCheck(String setup) throws Exception {
        TestData data = new TestData(tmp.resolve("data"), "mail.example.org", "example.org", "127.0.7.20");
        data.user("alice", "correct horse battery").user("bob", "another good password");
        data.config(change(setup));
        if (setup.endsWith("aliases")) Files.writeString(data.dir.resolve("aliases"), ALIASES);
        Path out = tmp.resolve("out");

        Peers.Result r = Peers.run(Peers.mailwright(data.dir, "export", "opensmtpd", "--out", out.toString(),
                "--etc", out.toString(), "--ssl", out.resolve("ssl").toString()), null, 60);
        assertThat(r.exit()).as(r.out()).isZero();

        String conf = Files.readString(out.resolve("smtpd.conf"));
        assertThat(conf).contains("pki mail.example.org cert \"" + out.resolve("ssl/mail.example.org.fullchain.pem") + "\"")
                .contains("table passwd file:" + out.resolve("passwd"))
                .contains("listen on 127.0.7.20 port " + data.submission + " tls-require pki mail.example.org auth <passwd>")
                .contains("listen on 127.0.7.20 port " + data.smtps + " smtps pki mail.example.org auth <passwd>")
                .contains("match from any auth for any action \"outbound\"")
                .doesNotContain("listen on all")
                .doesNotContain("table senders");
        assertThat(conf).contains("table aliases file:" + out.resolve("aliases"))
                .contains(setup.startsWith("mbox") ? "action \"local_mail\" mbox alias <aliases>" : "action \"local_mail\" maildir alias <aliases>");
        String aliases = Files.readString(out.resolve("aliases"));
        if (setup.endsWith("aliases")) {
            assertThat(aliases).isEqualTo("""
                    # Left out of Mailwright's aliases: OpenSMTPD looks up only the user part in an alias table,
                    # so these entries for one domain (name@domain) or a whole domain (@domain) would never match.
                    # To keep them, give the local action a virtual table listing every address (table(5)).
                    #   @example.org: alice
                    #   webmaster@example.org: bob

                    # the team
                    info: alice, bob
                    # outside
                    sales: carol@partner.test
                    team: info, bob
                    postmaster: bob
                    abuse: alice
                    root: alice
                    """);
        } else {
            assertThat(aliases).isEqualTo("postmaster: alice\nabuse: alice\nroot: alice\n");
        }
        if (setup.equals("no-auth-on-25")) {
            assertThat(conf).contains("listen on 127.0.7.20 port " + data.smtp + " tls pki mail.example.org hostname");
        } else {
            assertThat(conf).contains("port " + data.smtp + " tls pki mail.example.org auth-optional <passwd> senders <sendas> masquerade");
        }
        assertThat(Files.readString(out.resolve("passwd"))).startsWith("alice\t$2b$").contains("\nbob\t$2b$");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("passwd")))).isEqualTo("rw-------");
        String sendas = Files.readString(out.resolve("sendas"));
        assertThat(sendas).contains(setup.equals("send-as-anyone") ? "alice\t@example.org" : "alice\talice@example.org");
        if (setup.equals("two-domains")) assertThat(Files.readString(out.resolve("domains"))).contains("example.net");
        assertThat(Files.readString(out.resolve("acme-client.conf"))).contains("domain mail.example.org {");
        assertThat(Files.readString(out.resolve("httpd.conf"))).contains("/.well-known/acme-challenge/*");
        assertThat(Files.readString(out.resolve("README"))).contains("rcctl enable smtpd");

        Peers.Result check = Peers.run(List.of(smtpd(), "-n", "-f", out.resolve("smtpd.conf").toString()), null, 30);
        assertThat(check.out()).as(conf).contains("configuration OK");
        assertThat(check.exit()).as(check.out()).isZero();
    }

    /** Why the export does not copy every table as it is: OpenSMTPD's file table has no continuation lines. */
    @Test
    void smtpdRefusesAContinuationLine() throws Exception {
        Files.writeString(tmp.resolve("aliases"), ALIASES);
        Files.writeString(tmp.resolve("smtpd.conf"), "table aliases file:" + tmp.resolve("aliases") + "\n"
                + "action \"local_mail\" maildir alias <aliases>\nmatch from any for domain \"example.org\" action \"local_mail\"\n");
        Peers.Result check = Peers.run(List.of(smtpd(), "-n", "-f", tmp.resolve("smtpd.conf").toString()), null, 30);
        assertThat(check.out()).contains("invalid map entry line 5");
        assertThat(check.exit()).isNotZero();
    }

    private static UnaryOperator<Config> change(String setup) {
        return c -> switch (setup) {
            case "two-domains" -> c.withDomains(List.of("example.org", "example.net"));
            case "mbox", "mbox-aliases" -> TestData.withDelivery(c, Defaults.delivery(Config.DeliveryFormat.MBOX));
            case "no-auth-on-25" -> c.withListeners(List.of(new Config.Listener(c.listeners().get(0).address(), c.listeners().get(0).port(), Config.ListenerTls.STARTTLS,
                            Config.ListenerAuth.NONE), c.listeners().get(1), c.listeners().get(2)));
            case "send-as-anyone" -> c.withSubmission(new Config.Submission(true, List.of("alice")));
            default -> c;
        };
    }
}
