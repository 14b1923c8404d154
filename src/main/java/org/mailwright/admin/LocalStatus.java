package org.mailwright.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.mailwright.config.Config;
import org.mailwright.control.ControlClient;
import org.mailwright.dkim.DkimKey;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.log.DayCounts;
import org.mailwright.log.MaillogEntry;

/**
 * {@code mailwright status} for a local data directory: the engine's control socket answers running, uptime and
 * the queue size when it runs; everything else (configuration, certificate, DKIM keys, today's counters from the
 * maillog) is read from the data directory, so the answer is the same shape whether the engine runs or not.
 */
final class LocalStatus {
    private final Path data;
    private final Clock clock;

    LocalStatus(Path data, Clock clock) {
        this.data = data;
        this.clock = clock;
    }

    Results.Status read(Config c) {
        JsonNode engine = engineStatus();
        boolean running = engine != null;
        Long uptime = null;
        int queued;
        if (running) {
            queued = engine.path("queued").asInt();
            String started = engine.path("started").asText("");
            if (!started.isEmpty()) uptime = Math.max(0, Duration.between(Instant.parse(started), clock.instant()).getSeconds());
        } else {
            queued = envelopesOnDisk();
        }
        List<Results.Listener> listeners = c.listeners().stream()
                .map(l -> new Results.Listener(l.address(), l.port(), l.tls().word(), l.auth().word())).toList();
        return new Results.Status(running, Versions.current(), c.hostname(), c.domains(), listeners, queued,
                LocalTls.current(data, c, clock).orElse(null), selectors(), uptime, today());
    }

    private JsonNode engineStatus() {
        ControlClient client = new ControlClient(data);
        if (!client.engineRunning()) return null;
        try {
            return client.status();
        } catch (IOException e) {
            return null; // stopping right now: report it as not running
        }
    }

    /** One {@code .env} file per recipient in {@code queue/messages/ID/}. */
    private int envelopesOnDisk() {
        Path messages = data.resolve("queue").resolve("messages");
        if (!Files.isDirectory(messages)) return 0;
        try (Stream<Path> s = Files.walk(messages, 2)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".env")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private List<String> selectors() {
        try {
            return DkimKeys.loadAll(data.resolve("dkim")).stream().map(DkimKey::selector).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Today (UTC) as the maillog tells it: messages received, what became of each envelope, failed logins. */
    private Results.Counters today() {
        LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        DayCounts counts = new DayCounts();
        for (String line : new MaillogReader(data).since(midnight)) MaillogEntry.parse(line).ifPresent(counts::count);
        return new Results.Counters(counts.received(), counts.delivered(), counts.deferred(), counts.bounced(), counts.authFailures());
    }
}
