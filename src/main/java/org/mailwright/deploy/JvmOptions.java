package org.mailwright.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's JVM flags for servers, from {@code installer/jvm.options} (packed into the jar next to this class):
 * one option per line, {@code #} starts a comment. The systemd unit and the pid-file launcher that deploy writes
 * carry exactly these options, so a server runs with the flags the benchmarks measured.
 */
public final class JvmOptions {
    public static final String FILE_NAME = "jvm.options";

    private JvmOptions() {}

    /** The file as shipped in the jar. */
    public static String bundledText() {
        try (InputStream in = JvmOptions.class.getResourceAsStream(FILE_NAME)) {
            if (in == null) {
                throw new IllegalStateException(FILE_NAME + " is missing from the jar — build it with `mvn package` (it comes from installer/)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> bundled() {
        return parse(bundledText());
    }

    /** The options in file order; a line that is not one option (spaces inside, no leading dash) is refused. */
    public static List<String> parse(String text) {
        List<String> options = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            int hash = line.indexOf('#');
            String o = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (o.isEmpty()) continue;
            // The launchers put each option on a command line unquoted-safe: a space or quote would split or break it.
            if (!o.startsWith("-") || o.chars().anyMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"' || c == '\\' || c == '$')) {
                throw new IllegalArgumentException(FILE_NAME + ":" + n + ": not one JVM option: " + o
                        + " — write one option per line, without spaces or quotes");
            }
            options.add(o);
        }
        return List.copyOf(options);
    }
}
