package org.mailwright.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import org.mailwright.config.ConfigWriter;
import org.mailwright.config.Defaults;

/** The [tls] keys of mailwright.conf survive a write and a read, and wrong values are named with their line. */
class TlsConfigTest {
    static Config base() {
        return Defaults.config("mail.example.org", List.of("example.org"), Defaults.listeners("0.0.0.0", 25, 587, 465),
                Config.TlsMode.ACME, Config.DeliveryFormat.MAILDIR);
    }

    @Test
    void everyTlsKeyRoundTrips() throws Exception {
        Config c = base();
        Config.Tls t = new Config.Tls(Config.TlsMode.ACME, "tls/fullchain.pem", "tls/privkey.pem", "https://acme.example.net/dir",
                "hostmaster@example.org", 8080, List.of("mta-sts.example.org", "autoconfig.example.org"), "tls/acme-trust.pem");
        Config withTls = c.withTls(t);
        Config back = ConfigLoader.parse(ConfigWriter.toToml(withTls), null);
        assertThat(back.tls()).isEqualTo(t);
        assertThat(back).isEqualTo(withTls);
    }

    @Test
    void theDefaultsNeedNoExtraNamesAndNoTrust() throws Exception {
        Config back = ConfigLoader.parse(ConfigWriter.toToml(base()), null);
        assertThat(back.tls().extraNames()).isEmpty();
        assertThat(back.tls().acmeTrust()).isEmpty();
        assertThat(back.tls().acmeDirectory()).isEqualTo("letsencrypt");
        assertThat(back.tls().acmeHttpPort()).isEqualTo(80);
    }

    @Test
    void badValuesAreNamedWithTheirLine() {
        String text = ConfigWriter.toToml(base())
                .replace("extra_names = []", "extra_names = [\"not a name\"]")
                .replace("acme_directory = \"letsencrypt\"", "acme_directory = \"http://plain.example/dir\"");
        assertThatThrownBy(() -> ConfigLoader.parse(text, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("extra name \"not a name\" is not a fully qualified host name")
                .hasMessageContaining("acme_directory \"http://plain.example/dir\" is not known")
                .hasMessageMatching("(?s).*mailwright\\.conf:\\d+: extra name.*");
    }

    @Test
    void directoryWordsMapToAcme4jProviders() throws Exception {
        assertThat(AcmeClient.directoryUri("letsencrypt")).hasToString("acme://letsencrypt.org");
        assertThat(AcmeClient.directoryUri("letsencrypt-staging")).hasToString("acme://letsencrypt.org/staging");
        assertThat(AcmeClient.directoryUri("https://127.0.4.1:14000/dir")).hasToString("https://127.0.4.1:14000/dir");
        assertThatThrownBy(() -> AcmeClient.directoryUri("http://plain.example/dir")).hasMessageContaining("ACME needs https");
    }
}
