package org.mailwright.cli;

import java.nio.file.Path;

/** The data directory: global {@code --data DIR}, else {@code MAILWRIGHT_HOME}, else {@code ~/.mailwright}. */
public final class DataDir {
    private static volatile Path explicit;

    private DataDir() {}

    static void set(Path p) {
        explicit = p;
    }

    public static Path path() {
        if (explicit != null) return explicit.toAbsolutePath();
        String env = System.getenv("MAILWRIGHT_HOME");
        if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath();
        return Path.of(System.getProperty("user.home"), ".mailwright");
    }
}
