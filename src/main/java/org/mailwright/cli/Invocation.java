package org.mailwright.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The command line that a person reading one of our hints types to reach the same data directory: {@code mailwright}
 * when this runs from an installed package (the jpackage launcher sets {@code jpackage.app-path}), else
 * {@code java -jar mailwright.jar}; {@code --data DIR} unless it is the default; and {@code sudo -u OWNER} when the
 * directory belongs to another user or this runs as a systemd service — as {@code mailwright serve} of the server
 * package does, where the hint must read {@code sudo -u mailwright mailwright --data /var/lib/mailwright init …}.
 */
public record Invocation(String prefix) {

    public static Invocation of(Path data) {
        String me = System.getProperty("user.name", "");
        String owner = owner(data);
        String asUser = null;
        if (owner != null && !owner.equals(me)) {
            asUser = owner;
        } else if (System.getenv("INVOCATION_ID") != null && !me.isEmpty() && !me.equals("root")) {
            asUser = me; // started by systemd as a service user: the reader is an administrator, not that user
        }
        StringBuilder b = new StringBuilder();
        if (asUser != null) b.append(Files.isExecutable(Path.of("/usr/bin/sudo")) ? "sudo -u " + asUser + " " : "runuser -u " + asUser + " -- ");
        b.append(program());
        if (asUser != null || !data.equals(defaultData())) b.append(" --data ").append(data);
        return new Invocation(b.toString());
    }

    /** {@code prefix} followed by a subcommand and its arguments. */
    public String command(String arguments) {
        return prefix + " " + arguments;
    }

    static String program() {
        String launcher = System.getProperty("jpackage.app-path");
        if (launcher == null) return "java -jar mailwright.jar";
        Path onPath = Path.of("/usr/bin/mailwright");
        try {
            if (Files.exists(onPath) && Files.isSameFile(onPath.toRealPath(), Path.of(launcher).toRealPath())) return "mailwright";
        } catch (IOException e) {
            // not resolvable: name the launcher itself
        }
        return launcher;
    }

    private static Path defaultData() {
        String env = System.getenv("MAILWRIGHT_HOME");
        if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath();
        return Path.of(System.getProperty("user.home"), ".mailwright");
    }

    private static String owner(Path data) {
        try {
            return Files.exists(data) ? Files.getOwner(data).getName() : null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
