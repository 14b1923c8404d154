package org.mailwright.smtp;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.mailwright.testing.TestData;

/** Finds delivered messages in a test data directory's Maildirs. */
public final class Mailboxes {
    private Mailboxes() {}

    /** The messages in {@code user}'s Maildir new/ that contain {@code token}. */
    public static List<String> containing(TestData data, String user, String token) {
        try {
            return data.delivered(user).stream().map(Mailboxes::read).filter(s -> s.contains(token)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until exactly one message with {@code token} is in {@code user}'s Maildir and returns it. */
    public static String awaitOne(TestData data, String user, String token) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> !containing(data, user, token).isEmpty());
        List<String> found = containing(data, user, token);
        if (found.size() != 1) throw new AssertionError(found.size() + " messages with " + token + " for " + user);
        return found.get(0);
    }

    public static Optional<String> any(TestData data, String user, String token) {
        List<String> found = containing(data, user, token);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    static String read(Path p) {
        try {
            return Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
