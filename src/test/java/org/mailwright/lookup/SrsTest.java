package org.mailwright.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.testing.PeerProcess;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/**
 * SRS as postsrsd (Debian's, libsrs2's scheme) writes it: with the same secret, what we write postsrsd turns back and
 * what postsrsd writes we turn back, SRS0 and SRS1; a changed hash or an old stamp is refused.
 */
class SrsTest {
    static final String SECRET = "a shared test secret";

    @Test
    void addressesAreInterchangeableWithPostsrsd(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, SECRET + "\n");
        int forward = TestData.freePort();
        int reverse = TestData.freePort();
        String address = "127.0.6.40";
        try (PeerProcess postsrsd = PeerProcess.start("postsrsd", new ProcessBuilder(Peers.require("postsrsd", "postsrsd"),
                "-s" + secret, "-dours.test", "-l" + address, "-f" + forward, "-r" + reverse, "-4"), dir.resolve("postsrsd.log"),
                Duration.ofSeconds(20), PeerProcess.Ready.accepts(address, reverse))) {
            Srs ours = new Srs(SECRET, Clock.systemUTC());
            for (String sender : new String[] {"alice@sender.test", "Bob.Smith+tag@Sender.Test", "SRS0=abcd=AB=x.test=bob@fwd.test",
                    "SRS1=wxyz=first.test==abcd=AB=x.test=bob@fwd.test"}) {
                String theirs = ask(address, forward, sender);
                assertThat(ours.forward(sender, "ours.test")).as(sender).isEqualToIgnoringCase(theirs);
                String local = theirs.substring(0, theirs.lastIndexOf('@'));
                assertThat(ours.reverse(local)).as(theirs).contains(ask(address, reverse, theirs));
            }
            assertThat(ours.forward("carol@ours.test", "ours.test")).isEqualTo("carol@ours.test");
            assertThat(ours.forward("", "ours.test")).isEmpty();
        }
    }

    @Test
    void onlyOurOwnRecentAddressesTurnBack() throws Exception {
        Instant now = Instant.parse("2026-12-02T21:00:00Z");
        Srs srs = new Srs(SECRET, Clock.fixed(now, ZoneOffset.UTC));
        String local = srs.forward("alice@sender.test", "ours.test").split("@")[0];
        assertThat(srs.reverse(local)).contains("alice@sender.test");
        assertThat(srs.reverse(local.toLowerCase(java.util.Locale.ROOT))).as("case does not matter").contains("alice@sender.test");
        assertThat(srs.reverse("alice")).isEmpty();
        String forged = "SRS0=AAAA" + local.substring(9);
        assertThatThrownBy(() -> srs.reverse(forged)).isInstanceOf(Srs.Invalid.class).hasMessageContaining("not made here");
        assertThatThrownBy(() -> new Srs("another secret", Clock.fixed(now, ZoneOffset.UTC)).reverse(local))
                .isInstanceOf(Srs.Invalid.class);
        Srs later = new Srs(SECRET, Clock.fixed(now.plus(Duration.ofDays(22)), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.reverse(local)).isInstanceOf(Srs.Invalid.class).hasMessageContaining("older than 21 days");
        assertThat(new Srs(SECRET, Clock.fixed(now.plus(Duration.ofDays(20)), ZoneOffset.UTC)).reverse(local)).isPresent();
        assertThatThrownBy(() -> srs.reverse("SRS0=abcd")).isInstanceOf(Srs.Invalid.class).hasMessageContaining("malformed");
    }

    @Test
    void theSecretIsMadeOnceWithMode0600(@TempDir Path data) throws Exception {
        Srs first = Srs.of(data);
        Path file = data.resolve(Srs.SECRET_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String local = first.forward("alice@sender.test", "ours.test").split("@")[0];
        assertThat(Srs.of(data).reverse(local)).contains("alice@sender.test");
    }

    /** postsrsd's TCP table (Postfix tcp_table(5)): {@code get KEY} → {@code 200 VALUE}. */
    private static String ask(String host, int port, String key) throws Exception {
        try (Socket s = new Socket(host, port)) {
            OutputStream out = s.getOutputStream();
            out.write(("get " + URLEncoder.encode(key, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(reply).as(key).startsWith("200 ");
            return URLDecoder.decode(reply.substring(4).replace("+", "%2B"), StandardCharsets.UTF_8); // tcp_table: %XX only, "+" is itself
        }
    }
}
