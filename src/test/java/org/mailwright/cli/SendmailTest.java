package org.mailwright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.queue.EngineProcess;
import org.mailwright.smtp.Mailboxes;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/** {@code mailwright sendmail}: the classic local submission path (`mail bob`, cron), as separate processes. */
class SendmailTest {
    @TempDir Path dir;

    static String token() {
        return "T" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void sendmailDeliversWhetherTheEngineRunsOrNot() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org")
                .user("alice", "password-alice").user("bob", "password-bob").user("carol", "password-carol");
        String t1 = token();
        String t2 = token();
        String t3 = token();
        try (Engine engine = Engine.start(data.dir)) {
            // a bare name, a message on stdin: picked up at once through the control socket
            Peers.Result r = Peers.run(EngineProcess.command(data.dir, "sendmail", "bob"), "Subject: " + t1 + "\n\nhello bob\n", 60);
            assertThat(r.exit()).as(r.out()).isZero();
            String m = Mailboxes.awaitOne(data, "bob", t1);
            assertThat(m).contains("hello bob").containsPattern("(?m)^Message-ID: <").containsPattern("(?m)^Date: ")
                    .containsPattern("(?m)^From: \\S+@example\\.org");

            // -t: recipients from To, Cc and Bcc; Bcc is removed
            r = Peers.run(EngineProcess.command(data.dir, "sendmail", "-t", "-f", "alice@example.org"),
                    "To: Bob <bob@example.org>\nCc: alice\nBcc: carol@example.org\nSubject: " + t2 + "\n\nto three\n", 60);
            assertThat(r.exit()).as(r.out()).isZero();
            for (String u : List.of("alice", "bob", "carol")) {
                String copy = Mailboxes.awaitOne(data, u, t2);
                assertThat(copy).doesNotContainPattern("(?mi)^Bcc:").contains("Return-Path: <alice@example.org>").contains("to three");
            }

            // s-nail with Mailwright as its MTA (what `mail bob` does on a host where Mailwright is the sendmail)
            String snail = Peers.require("s-nail", "s-nail");
            Path wrapper = dir.resolve("sendmail-wrapper");
            Files.writeString(wrapper, "#!/bin/sh\nexec " + EngineProcess.command(data.dir, "sendmail").stream()
                    .map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" ")) + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
            r = Peers.run(List.of("env", "HOME=" + dir, snail, "-:", "/", "-S", "mta=" + wrapper, "-S", "sendwait", "-s", t3, "bob@example.org"),
                    "sent by s-nail\n", 90);
            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(Mailboxes.awaitOne(data, "bob", t3)).contains("Subject: " + t3).contains("sent by s-nail");
        }

        // engine stopped: queued, and delivered when it starts
        String t4 = token();
        Peers.Result r = Peers.run(EngineProcess.command(data.dir, "sendmail", "carol@example.org"), "Subject: " + t4 + "\n\nlater\n", 60);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("queued as").contains("not running");
        Thread.sleep(200);
        assertThat(Mailboxes.containing(data, "carol", t4)).isEmpty();
        try (Engine engine = Engine.start(data.dir)) {
            Mailboxes.awaitOne(data, "carol", t4);
        }
    }

    @Test
    void unknownLocalRecipientIsRefusedAndNothingQueued() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("alice", "password-alice");
        Peers.Result r = Peers.run(EngineProcess.command(data.dir, "sendmail", "nobody"), "Subject: x\n\nx\n", 60);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("nobody@example.org").contains("no such user");
        Path messages = data.dir.resolve("queue").resolve("messages");
        if (Files.isDirectory(messages)) {
            try (var s = Files.list(messages)) {
                assertThat(s.toList()).isEmpty();
            }
        }
    }
}
