package org.mailwright.queue;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.mailwright.testing.Peers;

/** {@code mailwright serve} as its own process, so a test can kill it like a power cut would. */
public final class EngineProcess implements AutoCloseable {
    public final Process process;
    public final Path output;

    private EngineProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code serve} and waits until {@code port} accepts connections. */
    public static EngineProcess start(Path data, int port) throws IOException {
        return start(data, port, command(data, "serve"));
    }

    /** Starts {@code serve} as {@code command} (e.g. with JVM flags added) and waits until {@code port} accepts. */
    public static EngineProcess start(Path data, int port, java.util.List<String> command) throws IOException {
        Path out = Files.createTempFile(data.getParent(), "serve", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        EngineProcess e = new EngineProcess(p, out);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!p.isAlive()) throw new AssertionError("serve exited " + p.exitValue() + ": " + Files.readString(out));
            return accepts(port);
        });
        return e;
    }

    /** The CLI as a process; C1 only, which starts faster on a busy machine. */
    public static java.util.List<String> command(Path data, String... args) {
        java.util.List<String> cmd = new java.util.ArrayList<>(Peers.mailwright(data, args));
        cmd.add(1, "-XX:TieredStopAtLevel=1");
        cmd.add(2, "-XX:+UseSerialGC");
        return cmd;
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL (Process.destroyForcibly on Linux); returns the exit status the JVM reports (137 = 128 + 9). */
    public int kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError("engine did not die after SIGKILL");
        return process.exitValue();
    }

    /** SIGTERM: a clean stop. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("engine did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) stop();
    }
}
