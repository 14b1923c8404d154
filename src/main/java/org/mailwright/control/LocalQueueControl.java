package org.mailwright.control;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.Scheduler;
import org.mailwright.queue.Spool;

/** Queue control on a scheduler in this process (the running engine, or the CLI while the engine is stopped). */
public final class LocalQueueControl implements QueueControl {
    private final Scheduler scheduler;
    private final Spool spool;

    public LocalQueueControl(Scheduler scheduler, Spool spool) {
        this.scheduler = scheduler;
        this.spool = spool;
    }

    @Override
    public List<EnvelopeInfo> list() {
        return scheduler.list().stream().map(EnvelopeInfo::of).toList();
    }

    @Override
    public Optional<Shown> show(String id) throws IOException {
        List<Envelope> found = scheduler.find(id);
        if (found.isEmpty()) return Optional.empty();
        return Optional.of(new Shown(found.stream().map(EnvelopeInfo::of).toList(),
                spool.headers(found.get(0).messageId(), 256 * 1024)));
    }

    @Override
    public Optional<Message> message(String id) throws IOException {
        List<Envelope> found = scheduler.find(id);
        if (found.isEmpty()) return Optional.empty();
        String messageId = found.get(0).messageId();
        long size = java.nio.file.Files.size(spool.messageFile(messageId));
        try (java.io.InputStream in = spool.openMessage(messageId)) {
            byte[] first = in.readNBytes(MESSAGE_LIMIT);
            return Optional.of(new Message(new String(first, java.nio.charset.StandardCharsets.UTF_8), size, size > first.length));
        }
    }

    @Override
    public int delete(String id) throws IOException {
        return scheduler.delete(id);
    }

    @Override
    public int retry(Optional<String> id) throws IOException {
        return scheduler.retry(id);
    }

    @Override
    public int bounce(String id) throws IOException {
        return scheduler.bounce(id);
    }

    @Override
    public int adopt(String messageId) throws IOException {
        return scheduler.adopt(messageId);
    }
}
