package org.mailwright.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/** Issue 15: greylisting on, greylist_delay 1s. swaks plays the other server that retries, and our own user. */
class GreylistingTest {
    static final String ENGINE = "127.0.20.1";
    static final String PASSWORD = "correct horse battery";

    @TempDir static Path dir;
    static TestData data;
    static Engine engine;

    @BeforeAll
    static void start() throws Exception {
        Peers.require("swaks", "swaks");
        data = new TestData(dir.resolve("data"), "mx.example.org", "example.org", ENGINE)
                .user("alice", PASSWORD).user("bob", PASSWORD)
                .config(c -> c.withInbound(c.inbound().withGreylisting(true).withGreylistDelay(Duration.ofSeconds(1))));
        engine = Engine.start(data.dir);
    }

    @AfterAll
    static void stop() throws IOException {
        if (engine != null) engine.close();
    }

    static Peers.Result swaks(String from, int port, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--server", ENGINE + ":" + port, "--local-interface", from,
                "--helo", "client.test", "--timeout", "20"));
        all.addAll(List.of(args));
        return Peers.swaks(all.toArray(String[]::new));
    }

    @Test
    void anotherServersFirstAttemptWaitsAndItsRetryIsDelivered() throws Exception {
        String t = SwaksTest.token();
        String[] message = {"--from", "news@remote.test", "--to", "alice@example.org", "--header", "Subject: " + t};
        Peers.Result first = swaks("127.0.20.8", data.smtp, message);
        assertThat(first.out()).contains("<** 451 4.7.1 Greylisted, try again in 1 seconds");
        assertThat(first.exit()).isNotZero();
        assertThat(data.maillog()).contains("smtp greylisted address=127.0.20.8 from=<news@remote.test> to=<alice@example.org>");

        Thread.sleep(1100);
        Peers.Result retry = swaks("127.0.20.8", data.smtp, message);
        assertThat(retry.exit()).as(retry.out()).isZero();
        assertThat(retry.out()).contains("250 2.1.5 Ok").contains("250 2.0.0 Ok: queued as");
        assertThat(Mailboxes.awaitOne(data, "alice", t)).contains("Subject: " + t);
    }

    @Test
    void ourOwnUsersAreNeverGreylisted() throws Exception {
        String t = SwaksTest.token();
        Peers.Result r = swaks("127.0.20.8", data.submission, "--tls", "--auth", "PLAIN", "--auth-user", "alice",
                "--auth-password", PASSWORD, "--from", "alice@example.org", "--to", "bob@example.org", "--header", "Subject: " + t);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(Mailboxes.awaitOne(data, "bob", t)).contains("Subject: " + t);
    }
}
