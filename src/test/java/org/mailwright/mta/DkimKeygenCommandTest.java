package org.mailwright.mta;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.dkim.DkimKey;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dkim.KeyType;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/** {@code mailwright dkim keygen}: the key file (0600) and the TXT record printed for each domain. */
class DkimKeygenCommandTest {
    @TempDir Path tmp;

    @Test
    void writesPrivateKeysAndPrintsTheirTxtRecords() throws Exception {
        TestData data = new TestData(tmp.resolve("d"), "mail.example.test", "example.test");

        Map<String, String> rsa = MtaTestSupport.keygen(data);
        Path rsaFile = data.dir.resolve("dkim/mailwright.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rsaFile))).isEqualTo("rw-------");
        DkimKey rsaKey = DkimKeys.load(rsaFile);
        assertThat(rsaKey.type()).isEqualTo(KeyType.RSA);
        assertThat(rsa).containsExactly(Map.entry("mailwright._domainkey.example.test", DkimKeys.dnsTxtValue(rsaKey)));
        assertThat(rsa.get("mailwright._domainkey.example.test")).startsWith("v=DKIM1; k=rsa; p=MII");

        Map<String, String> ed = MtaTestSupport.keygen(data, "--type", "ed25519", "--selector", "ed2026");
        DkimKey edKey = DkimKeys.load(data.dir.resolve("dkim/ed2026.key"));
        assertThat(edKey.type()).isEqualTo(KeyType.ED25519);
        assertThat(ed).containsExactly(Map.entry("ed2026._domainkey.example.test", DkimKeys.dnsTxtValue(edKey)));
    }

    @Test
    void anExistingSelectorIsNeverOverwritten() throws Exception {
        TestData data = new TestData(tmp.resolve("d"), "mail.example.test", "example.test");
        MtaTestSupport.keygen(data, "--type", "ed25519", "--selector", "s1");
        byte[] before = Files.readAllBytes(data.dir.resolve("dkim/s1.key"));

        Peers.Result again = Peers.run(Peers.mailwright(data.dir, "dkim", "keygen", "--type", "ed25519", "--selector", "s1"), null, 120);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.out()).contains("s1.key exists already").contains("--selector");
        assertThat(Files.readAllBytes(data.dir.resolve("dkim/s1.key"))).isEqualTo(before);
    }
}
