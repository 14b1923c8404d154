package org.mailwright.mda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.queue.Envelope;

/** mbox crash recovery: a journaled offset must never cut away mail appended after it. */
class MboxRecoveryTest {
    @TempDir Path data;

    Envelope envelope(String id) {
        Instant t = Instant.parse("2026-01-02T03:04:05Z");
        return new Envelope(id + "00000000", id, "x@elsewhere.test", "ben@example.org", "ben", Envelope.Action.DELIVER, t, 0, t, "", -1, "", "");
    }

    Path message(String text) throws Exception {
        Path p = Files.createTempFile(data, "msg", ".eml");
        Files.writeString(p, text.replace("\n", "\r\n"));
        return p;
    }

    @Test
    void aRecoveredEnvelopeWhoseAppendFinishedDoesNotTruncateLaterMail() throws Exception {
        MboxDelivery mbox = new MboxDelivery(data);
        AtomicReference<Envelope> journaled = new AtomicReference<>();
        Envelope a = envelope("aaaaaaaa");
        Path ma = message("Subject: A\n\nfirst\n");
        mbox.deliver(a, ma, false, journaled::set);
        // A was appended, but the crash came before its envelope was removed; B was delivered and removed after it.
        mbox.deliver(envelope("bbbbbbbb"), message("Subject: B\n\nsecond\n"), false, e -> { });
        mbox.deliver(journaled.get(), ma, true, e -> { });
        String text = Files.readString(mbox.mailbox("ben"), StandardCharsets.UTF_8);
        assertThat(text.split("\n\n(?=From )")).hasSize(2);
        assertThat(text).contains("Subject: A").contains("Subject: B");
    }

    @Test
    void aCutShortAppendAtTheEndIsReplaced() throws Exception {
        MboxDelivery mbox = new MboxDelivery(data);
        mbox.deliver(envelope("cccccccc"), message("Subject: C\n\nbefore\n"), false, e -> { });
        AtomicReference<Envelope> journaled = new AtomicReference<>();
        Envelope a = envelope("aaaaaaaa");
        Path ma = message("Subject: A\n\n" + "line\n".repeat(1000));
        mbox.deliver(a, ma, false, journaled::set);
        Path box = mbox.mailbox("ben");
        long whole = Files.size(box);
        try (var ch = java.nio.channels.FileChannel.open(box, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(journaled.get().mboxOffset() + (whole - journaled.get().mboxOffset()) / 2); // the crash
        }
        mbox.deliver(journaled.get(), ma, true, e -> { });
        assertThat(Files.size(box)).isEqualTo(whole);
        String text = Files.readString(box);
        assertThat(text.split("\n\n(?=From )")).hasSize(2);
    }

    @Test
    void aJournaledAppendThatNeverStartedIsDone() throws Exception {
        MboxDelivery mbox = new MboxDelivery(data);
        Envelope a = envelope("aaaaaaaa").withMboxOffset(0);
        mbox.deliver(envelope("cccccccc"), message("Subject: C\n\nother\n"), false, e -> { });
        mbox.deliver(a, message("Subject: A\n\nmine\n"), true, e -> { });
        String text = Files.readString(mbox.mailbox("ben"));
        assertThat(text).contains("Subject: C").contains("Subject: A");
        assertThat(text.split("\n\n(?=From )")).hasSize(2);
    }
}
