package org.mailwright.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real peer (dnsmasq, Pebble, sshd …) run as a process for a test: its output goes to a log file, and
 * {@link #start} returns once the peer is ready — or fails loudly with what the peer said, when it exited or did
 * not become ready in time. {@link #await} is the same wait for a peer that is not one child process (Postfix).
 */
public final class PeerProcess implements AutoCloseable {
    /** Whether the peer is ready yet; {@code log} is everything it wrote so far. */
    @FunctionalInterface
    public interface Ready {
        boolean test(String log) throws Exception;

        /** Ready once the log holds {@code text} (a line the peer writes when it serves). */
        static Ready says(String text) {
            return log -> log.contains(text);
        }

        /** Ready once {@code host:port} accepts a TCP connection. */
        static Ready accepts(String host, int port) {
            return log -> {
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress(host, port), 500);
                    return true;
                }
            };
        }
    }

    private final String name;
    private final Process process;
    private final Path log;

    private PeerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with stdout and stderr in {@code log}, and waits until {@code ready}. */
    public static PeerProcess start(String name, ProcessBuilder command, Path log, Duration within, Ready ready)
            throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = command.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PeerProcess peer = new PeerProcess(name, p, log);
        try {
            await(name, within, ready, () -> read(log), p::isAlive);
            return peer;
        } catch (AssertionError | IOException | InterruptedException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    /** Something that reads a peer's log so far. */
    @FunctionalInterface
    public interface LogReader {
        String read() throws IOException;
    }

    /** Something that says whether the peer still runs. */
    @FunctionalInterface
    public interface Alive {
        boolean alive() throws IOException;
    }

    /**
     * Waits until {@code ready} holds (checked every 50 ms); fails with the peer's log when {@code alive} says it
     * stopped or {@code within} passed. A {@code ready} that throws counts as not ready yet (a port not open, an
     * answer not there).
     */
    public static void await(String name, Duration within, Ready ready, LogReader log, Alive alive) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(within);
        Exception last = null;
        while (true) {
            String text = log.read();
            try {
                if (ready.test(text)) return;
            } catch (Exception notYet) {
                last = notYet;
            }
            if (!alive.alive()) throw new AssertionError(name + " stopped before it was ready: " + log.read());
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(name + " was not ready within " + within.toSeconds() + " s"
                        + (last == null ? "" : " (" + last + ")") + ": " + log.read());
            }
            Thread.sleep(50);
        }
    }

    /** What the peer wrote so far. */
    public String log() throws IOException {
        return read(log);
    }

    public Path logFile() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
