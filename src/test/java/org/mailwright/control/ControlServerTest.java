package org.mailwright.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket serves clients at once, and drops one that says nothing. */
class ControlServerTest {
    @TempDir Path dir;

    private static final QueueControl EMPTY = new QueueControl() {
        @Override public List<EnvelopeInfo> list() { return List.of(); }
        @Override public Optional<Shown> show(String id) { return Optional.empty(); }
        @Override public Optional<Message> message(String id) { return Optional.empty(); }
        @Override public int delete(String id) { return 0; }
        @Override public int retry(Optional<String> id) { return 0; }
        @Override public int bounce(String id) { return 0; }
        @Override public int adopt(String messageId) { return 0; }
    };

    private SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(dir.resolve(ControlServer.SOCKET)));
        return ch;
    }

    @Test
    void idleClientsBlockNobodyAndAreDroppedAfterTheTimeout() throws Exception {
        try (ControlServer server = new ControlServer(dir, EMPTY, () -> Map.of("state", "running"), null,
                Duration.ofMillis(700), Duration.ofMillis(700))) {
            List<SocketChannel> idle = new ArrayList<>();
            for (int i = 0; i < 5; i++) idle.add(connect());
            ControlClient client = new ControlClient(dir);
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                long t0 = System.nanoTime();
                assertThat(client.list()).isEmpty();
                assertThat(client.status().path("state").asText()).isEqualTo("running");
                System.out.printf("queue.list + status with 5 idle clients connected: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            });
            // the idle ones are closed by the engine once the timeout passes
            long t0 = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                for (SocketChannel ch : idle) {
                    assertThat(ch.read(ByteBuffer.allocate(16))).isEqualTo(-1);
                    ch.close();
                }
            });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("idle clients dropped after %d ms (timeout 700 ms)%n", ms);
            // and the server still answers
            assertThat(client.list()).isEmpty();
        }
    }

    @Test
    void manyClientsAtOnceAreAllAnswered() throws Exception {
        try (ControlServer server = new ControlServer(dir, EMPTY, () -> Map.of("state", "running"))) {
            ControlClient client = new ControlClient(dir);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 16; i++) {
                Thread t = new Thread(() -> {
                    try {
                        for (int j = 0; j < 20; j++) client.list();
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) t.join(30_000);
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void localUsersFillingTheSubmissionSocketDoNotCrowdOutTheQueueCommands() throws Exception {
        ControlServer.Submitter none = new ControlServer.Submitter() {
            @Override public LocalSubmission submission() { throw new AssertionError("no request is ever sent"); }
            @Override public boolean mayChooseSender(String user) { return false; }
            @Override public void queued(LocalSubmission.Queued q, String user) { }
        };
        try (ControlServer server = new ControlServer(dir, EMPTY, () -> Map.of(), none, Duration.ofSeconds(20), Duration.ofSeconds(20))) {
            List<SocketChannel> idle = new ArrayList<>();
            for (int i = 0; i < ControlServer.MAX_CLIENTS; i++) {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(dir.resolve(ControlServer.SUBMIT_SOCKET)));
                idle.add(ch);
            }
            Thread.sleep(300);
            // one more is told the engine is busy, at once
            try (SocketChannel extra = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                extra.connect(UnixDomainSocketAddress.of(dir.resolve(ControlServer.SUBMIT_SOCKET)));
                String answer = new String(java.nio.channels.Channels.newInputStream(extra).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(answer).contains("\"ok\":false").contains("try again");
            }
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThat(new ControlClient(dir).list()).isEmpty());
            for (SocketChannel ch : idle) ch.close();
        }
    }
}
