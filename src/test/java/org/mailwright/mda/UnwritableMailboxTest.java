package org.mailwright.mda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.log.MaillogEntry;
import org.mailwright.queue.Envelope;
import org.mailwright.smtp.Mailboxes;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.TestData;

/** A mailbox that cannot be written leaves the envelope queued (TempFail), and it is delivered once it can be. */
class UnwritableMailboxTest {
    @TempDir Path dir;

    @Test
    void deliveryIsDeferredNotLostAndNeverHalfWritten() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("bob", "password-bob");
        Path box = data.dir.resolve("mail").resolve("bob");
        Files.createDirectories(box.getParent());
        Files.writeString(box, "a file where the Maildir should be"); // what a full disk or a wrong permission looks like to us
        try (Engine engine = Engine.start(data.dir)) {
            try (SmtpClient c = SmtpClient.connect(data.smtp)) {
                c.ehlo();
                assertThat(c.send("x@elsewhere.test", List.of("bob@example.org"), "Subject: deferred\n\nstill here")).startsWith("250");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> data.maillog().contains("result=TempFail"));
            MaillogEntry fail = data.maillog().lines().map(MaillogEntry::parse).flatMap(Optional::stream)
                    .filter(e -> e.field("result").equals(Optional.of("TempFail"))).findFirst().orElseThrow();
            assertThat(fail.role()).isEqualTo("mda");
            assertThat(fail.field("to")).contains("<bob@example.org>");
            assertThat(fail.field("stat").orElseThrow()).contains("cannot write");
            List<Envelope> queued = engine.scheduler().list();
            assertThat(queued).hasSize(1);
            assertThat(queued.get(0).attempts()).isEqualTo(1);
            assertThat(queued.get(0).lastError()).contains("cannot write");

            Files.delete(box);
            assertThat(engine.scheduler().retry(Optional.of(queued.get(0).id()))).isEqualTo(1);
            String m = Mailboxes.awaitOne(data, "bob", "Subject: deferred");
            assertThat(m).endsWith("\n\nstill here\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.scheduler().list().isEmpty());
            assertThat(data.maillog()).containsPattern("mda delivery .*to=<bob@example.org> .*result=Ok");
        }
    }
}
