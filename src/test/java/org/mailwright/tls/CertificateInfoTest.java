package org.mailwright.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The names a certificate is for and the hosts they cover: the one implementation tls, dns and the ui use. */
class CertificateInfoTest {
    private static TestCa ca;
    private static KeyPair key;

    @BeforeAll
    static void ca() throws Exception {
        ca = TestCa.root("Names Test CA");
        key = TestCa.ecKey();
    }

    /** RFC 6125 §6.4.3: equal names match whatever the case; a wildcard stands for exactly one left-most label. */
    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "mail.example.org,                  mail.example.org,   true",
            "mail.example.org,                  www.example.org,    false",
            "www.example.org mail.example.org,  mail.example.org,   true",
            "*.example.org,                     mail.example.org,   true",
            "*.example.org,                     a.mail.example.org, false",
            "*.example.org,                     example.org,        false",
            "*.example.org,                     .example.org,       false",
            "*.example.org,                     mail.example.net,   false",
            "MAIL.Example.ORG,                  mail.example.org,   true",
            "mail.example.org,                  Mail.Example.Org,   true",
            "*.EXAMPLE.org,                     Mail.example.ORG,   true",
    })
    void covers(String names, String host, boolean covered) {
        CertificateInfo info = new CertificateInfo("CN=test", List.of(names.split(" ")), "CN=test", Instant.EPOCH,
                Instant.EPOCH, "1", "ECDSA P-256", true);
        assertThat(info.covers(host)).isEqualTo(covered);
    }

    @Test
    void theSubjectAltNamesAreTheNamesAndTheCommonNameIsIgnored() throws Exception {
        CertificateInfo info = CertificateInfo.of(ca.leaf(key, "cn.example.org", List.of("mail.example.org", "*.example.net")));
        assertThat(info.names()).containsExactly("mail.example.org", "*.example.net");
        assertThat(info.covers("cn.example.org")).isFalse();
        assertThat(info.covers("mx.example.net")).isTrue();
    }

    @Test
    void theCommonNameCountsOnlyWithoutSubjectAltNames() throws Exception {
        CertificateInfo info = CertificateInfo.of(ca.leaf(key, "old.example.org", List.of()));
        assertThat(info.names()).containsExactly("old.example.org");
        assertThat(info.covers("old.example.org")).isTrue();
        assertThat(info.covers("www.example.org")).isFalse();
    }
}
