package org.mailwright.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mailwright.control.ControlClient;
import org.mailwright.deploy.JvmOptions;

/**
 * "Keep it running in the background": the engine as its own process, {@code mailwright --data DATA serve} from the
 * jar (or class path) this app runs from, with the server JVM options, detached from the app (its own session, so
 * closing a terminal does not stop it), its output appended to {@code DATA/log/engine.out}. The app finds it again
 * by its control socket, as it finds any engine started outside it, and stops it with SIGTERM (a clean stop).
 */
final class BackgroundEngine {
    static final String OUTPUT = "engine.out";
    /** A JVM start and the engine's own start on a busy 2-core machine stay well within this. */
    static final Duration START_WITHIN = Duration.ofSeconds(60);
    static final Duration STOP_WITHIN = Duration.ofSeconds(30);

    private BackgroundEngine() {}

    /** The command: this JVM's java, the server options, this class path (made absolute), {@code --data DATA serve}. */
    static List<String> command(Path dataDir) {
        List<String> cmd = new ArrayList<>();
        Optional<Path> setsid = Arrays.stream(new String[] {"/usr/bin/setsid", "/bin/setsid"}).map(Path::of)
                .filter(Files::isExecutable).findFirst();
        setsid.ifPresent(s -> cmd.add(s.toString()));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JvmOptions.bundled());
        String classPath = String.join(File.pathSeparator, Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> !p.isEmpty()).map(p -> Path.of(p).toAbsolutePath().toString()).toList());
        cmd.addAll(List.of("-cp", classPath, org.mailwright.Main.class.getName(),
                "--data", dataDir.toAbsolutePath().toString(), "serve"));
        return cmd;
    }

    /** Starts it and waits until its control socket answers; a start that fails says why, from its output. */
    static void start(Path dataDir) throws IOException {
        Path out = dataDir.resolve("log").resolve(OUTPUT);
        Files.createDirectories(out.getParent());
        long mark = Files.exists(out) ? Files.size(out) : 0;
        Process p = new ProcessBuilder(command(dataDir)).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        p.getOutputStream().close(); // nothing to read from the app
        ControlClient control = new ControlClient(dataDir);
        Instant until = Instant.now().plus(START_WITHIN);
        while (!control.engineRunning()) {
            if (!p.isAlive()) throw new IOException("the background engine stopped at once: " + said(out, mark));
            if (Instant.now().isAfter(until)) {
                p.destroy();
                throw new IOException("the background engine did not answer within " + START_WITHIN.toSeconds() + " s: " + said(out, mark));
            }
            pause();
        }
    }

    /** Stops the engine that runs on the data directory in another process: SIGTERM to the pid its status names. */
    static void stop(Path dataDir) throws IOException {
        ControlClient control = new ControlClient(dataDir);
        long pid = control.status().path("pid").asLong(-1);
        ProcessHandle engine = ProcessHandle.of(pid).orElseThrow(() -> new IOException(
                "the engine running on " + dataDir + " did not say its process id — stop it where it was started"));
        if (!engine.destroy()) throw new IOException("process " + pid + " cannot be stopped from here (another user's?) — stop it where it was started");
        Instant until = Instant.now().plus(STOP_WITHIN);
        while (engine.isAlive() || control.engineRunning()) {
            if (Instant.now().isAfter(until)) throw new IOException("process " + pid + " did not stop within " + STOP_WITHIN.toSeconds() + " s");
            pause();
        }
    }

    /** The last lines the process wrote (its stderr names the problem, e.g. a port in use). */
    private static String said(Path out, long from) {
        try {
            byte[] all = Files.readAllBytes(out);
            String text = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                    java.nio.charset.StandardCharsets.UTF_8).strip();
            List<String> lines = text.lines().toList();
            return lines.isEmpty() ? "no output (see " + out + ")" : String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "its output " + out + " cannot be read: " + e.getMessage();
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
