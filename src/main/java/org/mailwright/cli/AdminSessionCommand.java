package org.mailwright.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code mailwright admin-session}: the remote end of {@code RemoteAdmin}'s SSH channel. One JVM serves every
 * command of a connection, so an operation costs a round trip instead of a JVM start (about a second on a small
 * VPS). Each request is one JSON line {@code {"args": [...], "stdin": "..."}}; the command runs here exactly as
 * from a shell (same options, same {@code --json} output) and the answer is one line
 * {@code {"exit": N, "out": "...", "err": "..."}}. Ends when standard input does (the channel closed).
 */
@Command(name = "admin-session", hidden = true, mixinStandardHelpOptions = true, description = "Serve commands as JSON lines on stdin/stdout (for --remote).")
final class AdminSessionCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    record Request(@JsonProperty("args") List<String> args, @JsonProperty("stdin") String stdin) {}

    record Response(@JsonProperty("exit") int exit, @JsonProperty("out") String out, @JsonProperty("err") String err) {}

    @Override
    public Integer call() throws Exception {
        Path data = DataDir.path(); // execute() resets it per command: every request gets it again
        PrintStream replies = System.out;
        InputStream requests = System.in;
        PrintStream err = System.err;
        BufferedReader in = new BufferedReader(new InputStreamReader(requests, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            Response r;
            try {
                r = run(data, JSON.readValue(line, Request.class));
            } catch (Exception e) {
                r = new Response(2, "", "mailwright: bad admin-session request: " + e.getMessage() + "\n");
            } finally {
                System.setIn(requests);
                System.setOut(replies);
                System.setErr(err);
            }
            replies.println(JSON.writeValueAsString(r));
            replies.flush();
        }
        return 0;
    }

    private static Response run(Path data, Request q) {
        List<String> args = new ArrayList<>(List.of("--data", data.toString()));
        args.addAll(q.args() == null ? List.of() : q.args());
        boolean follows = args.contains("log") && (args.contains("-f") || args.contains("--follow"));
        if (args.contains("admin-session") || args.contains("serve") || follows) {
            return new Response(2, "", "mailwright: not in an admin session: " + String.join(" ", q.args()) + " — run it on its own channel\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setIn(new ByteArrayInputStream((q.stdin() == null ? "" : q.stdin()).getBytes(StandardCharsets.UTF_8)));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = MailwrightCommand.execute(args.toArray(String[]::new));
        System.out.flush();
        System.err.flush();
        return new Response(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
