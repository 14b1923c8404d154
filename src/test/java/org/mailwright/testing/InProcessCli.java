package org.mailwright.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mailwright.cli.MailwrightCommand;

/**
 * Runs the CLI in this JVM (quicker than a process, the same code path) with its own stdin, stdout and stderr.
 * Tests that need a process of its own (kill -9, the real launcher) use {@link Peers#mailwright}.
 */
public final class InProcessCli {
    /** One finished run. */
    public record Run(int exit, String out, String err) {}

    private InProcessCli() {}

    /** {@code mailwright ARGS…} with {@code stdin} (null: empty). */
    public static synchronized Run run(String stdin, String... args) {
        InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = MailwrightCommand.execute(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** {@code mailwright --data DATA ARGS…}. */
    public static Run inData(Path data, String... args) {
        List<String> all = new ArrayList<>(List.of("--data", data.toString()));
        all.addAll(List.of(args));
        return run(null, all.toArray(String[]::new));
    }
}
