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

    /** {@code dkim list} and {@code dkim delete} (the Settings view's DKIM keys): the signer follows at once. */
    @Test
    void listShowsEachKeyWithItsRecordAndDeleteStopsSigningWithIt() throws Exception {
        TestData data = new TestData(tmp.resolve("d"), "mail.example.test", "example.test");
        MtaTestSupport.keygen(data);
        MtaTestSupport.keygen(data, "--type", "ed25519", "--selector", "ed2026");
        OutboundSigner signer = new OutboundSigner(data.dir.resolve("dkim"), d -> d.equals("example.test"));
        byte[] message = "From: ann@example.test\r\nTo: bob@remote.test\r\nSubject: hi\r\n\r\nhello\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(signer.sign(message).selectors()).containsExactly("ed2026/ed25519", "mailwright/rsa");

        org.mailwright.testing.InProcessCli.Run list = org.mailwright.testing.InProcessCli.inData(data.dir, "dkim", "list", "--json");
        assertThat(list.exit()).as(list.err()).isZero();
        var keys = new com.fasterxml.jackson.databind.ObjectMapper().readTree(list.out());
        assertThat(keys).hasSize(2);
        assertThat(keys.get(1).path("selector").asText()).isEqualTo("mailwright");
        assertThat(keys.get(1).path("bits").asInt()).isEqualTo(2048);
        assertThat(keys.get(1).path("records").get(0).path("name").asText()).isEqualTo("mailwright._domainkey.example.test");
        assertThat(keys.get(1).path("records").get(0).path("value").asText())
                .isEqualTo(DkimKeys.dnsTxtValue(DkimKeys.load(data.dir.resolve("dkim/mailwright.key"))));
        assertThat(keys.get(0).path("key_type").asText()).isEqualTo("ed25519");

        org.mailwright.testing.InProcessCli.Run delete = org.mailwright.testing.InProcessCli.inData(data.dir, "dkim", "delete", "mailwright");
        assertThat(delete.exit()).as(delete.err()).isZero();
        assertThat(delete.out()).contains("keep its DNS record");
        assertThat(data.dir.resolve("dkim/mailwright.key")).doesNotExist();
        assertThat(signer.sign(message).selectors()).containsExactly("ed2026/ed25519");
        assertThat(org.mailwright.testing.InProcessCli.inData(data.dir, "dkim", "list").out()).contains("ed2026").doesNotContain("mailwright ");

        org.mailwright.testing.InProcessCli.Run again = org.mailwright.testing.InProcessCli.inData(data.dir, "dkim", "delete", "mailwright");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("there is no DKIM key \"mailwright\"").contains("dkim list");
        Files.writeString(data.dir.resolve("keep.key"), "not a DKIM key");
        org.mailwright.testing.InProcessCli.Run bad = org.mailwright.testing.InProcessCli.inData(data.dir, "dkim", "delete", "../keep");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("selector");
        assertThat(data.dir.resolve("keep.key")).exists();
    }
}
