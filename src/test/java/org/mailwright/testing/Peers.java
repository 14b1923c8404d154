package org.mailwright.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real peers (swaks, postfix, mutt…) run as processes. A peer that is not installed fails the test
 * loudly with the package to install: CI installs them in .ci/run, and a missing one is a failure, not a skip.
 */
public final class Peers {
    private Peers() {}

    /** The result of a finished process. */
    public record Result(int exit, String out) {}

    /** Fails with the apt-get line when {@code program} is missing. */
    public static String require(String program, String debianPackage) {
        for (String dir : List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p.toString();
        }
        throw new AssertionError(program + " is not installed; it is a real peer these tests need: apt-get install -y " + debianPackage);
    }

    public static Result run(List<String> command, String stdin, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out after " + timeoutSeconds + "s: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** swaks with the given arguments (quiet about the body), 30 s at most. */
    public static Result swaks(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(require("swaks", "swaks"));
        cmd.addAll(List.of(args));
        return run(cmd, null, 60);
    }

    /** The Java of this test run, to start the engine as its own process (kill -9 tests, CLI tests). */
    public static List<String> mailwright(Path data, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.mailwright.Main", "--data", data.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
