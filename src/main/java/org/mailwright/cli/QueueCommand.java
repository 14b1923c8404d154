package org.mailwright.cli;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mailwright.admin.Admin;
import org.mailwright.admin.Ages;
import org.mailwright.control.EnvelopeInfo;
import org.mailwright.control.QueueControl;
import org.mailwright.log.Printable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Look at and act on the queue (through the running engine, or directly when it is stopped).",
        subcommands = {QueueCommand.ListQueue.class, QueueCommand.Show.class, QueueCommand.Retry.class,
                QueueCommand.Bounce.class, QueueCommand.Delete.class})
public final class QueueCommand {

    /** Runs an action on the queue through the admin layer: the running engine's, the spool's, or the remote one's. */
    static <T> T withQueue(RemoteOptions remote, Admin.QueueAction<T> action) {
        return remote.ask(admin -> admin.queue(action));
    }

    /**
     * bounce and delete: {@code action} on the envelopes of one id; none is a failure (none queued, or they are
     * being delivered right now). Says how many as "VERB N envelope(s)".
     */
    static int onEnvelopes(RemoteOptions remote, String id, Admin.QueueAction<Integer> action, String verb) {
        int n = withQueue(remote, action);
        if (n == 0) throw new Failure("nothing queued with id " + id + " (or it is being delivered right now)");
        System.out.println(verb + " " + n + " envelope(s)");
        return 0;
    }

    /**
     * JSON as Jackson writes it, plus {@code \\uXXXX} for what it would leave raw and a terminal acts on (DEL, C1
     * controls, bidi overrides…; see {@link Printable}): the value read back is the same (RFC 8259 §7).
     */
    static ObjectMapper json() {
        ObjectMapper m = new ObjectMapper();
        m.getFactory().setCharacterEscapes(new PrintableJson());
        return m;
    }

    private static final class PrintableJson extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        PrintableJson() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (Character.isSurrogate((char) ch) || !Printable.unprintable(ch)) return null;
            return new SerializedString(String.format("\\u%04x", ch));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List queued envelopes (one per recipient).")
    static final class ListQueue implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Option(names = "--json", description = "JSON array, one object per envelope") boolean json;

        @Override
        public Integer call() throws Exception {
            List<EnvelopeInfo> all = withQueue(remote, QueueControl::list);
            if (json) {
                Json.print(all);
                return 0;
            }
            if (all.isEmpty()) {
                System.out.println("The queue is empty.");
                return 0;
            }
            System.out.printf("%-16s %-8s %-4s %-30s %-30s %-10s %s%n", "ID", "AGE", "TRY", "FROM", "TO", "NEXT", "LAST ERROR");
            Instant now = Instant.now();
            for (EnvelopeInfo e : all) {
                // Stored data is shown escaped (Printable): an address or a peer's reply must not act on the terminal.
                System.out.printf("%-16s %-8s %-4d %-30s %-30s %-10s %s%n", Printable.escape(e.id()),
                        Ages.words(Duration.between(Instant.parse(e.created()), now)),
                        e.attempts(), "<" + Printable.escape(e.from()) + ">", "<" + Printable.escape(e.to()) + ">",
                        e.action().equals("relay") && e.attempts() == 0 && e.lastError().isEmpty() ? "outbound"
                                : Ages.words(Duration.between(now, Instant.parse(e.nextAttempt()))),
                        Printable.escape(e.lastError()));
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an envelope (or message) and its headers.")
    static final class Show implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--json", description = "{\"envelopes\": [...], \"headers\": \"...\"}; with --message {\"text\": \"...\", \"size\": N, \"cut\": false}")
        boolean json;
        @Option(names = "--message", description = "The whole message, header and body (its first 256 KiB), instead of the headers")
        boolean message;

        @Override
        public Integer call() throws Exception {
            if (message) return message();
            QueueControl.Shown s = withQueue(remote, q -> q.show(id))
                    .orElseThrow(() -> new Failure("nothing queued with id " + id + " — see `mailwright queue list`"));
            if (json) {
                System.out.println(json().writeValueAsString(s));
                return 0;
            }
            for (EnvelopeInfo e : s.envelopes()) {
                System.out.println("envelope:     " + Printable.escape(e.id()));
                System.out.println("message:      " + Printable.escape(e.messageId()));
                System.out.println("from:         <" + Printable.escape(e.from()) + ">");
                System.out.println("to:           <" + Printable.escape(e.to()) + ">"
                        + (e.user().isEmpty() ? "" : " (local user " + Printable.escape(e.user()) + ")"));
                System.out.println("action:       " + Printable.escape(e.action()));
                System.out.println("queued:       " + e.created());
                System.out.println("attempts:     " + e.attempts());
                System.out.println("next attempt: " + e.nextAttempt());
                System.out.println("last error:   " + (e.lastError().isEmpty() ? "-" : Printable.escape(e.lastError())));
                System.out.println();
            }
            System.out.print(headers(s.headers()));
            return 0;
        }

        private int message() throws Exception {
            QueueControl.Message m = withQueue(remote, q -> q.message(id))
                    .orElseThrow(() -> new Failure("nothing queued with id " + id + " — see `mailwright queue list`"));
            if (json) {
                System.out.println(json().writeValueAsString(m));
                return 0;
            }
            System.out.print(headers(m.text()));
            if (m.cut()) System.out.printf("[the first %,d of %,d bytes; the rest is not shown]%n", QueueControl.MESSAGE_LIMIT, m.size());
            return 0;
        }

        /** The header section one line per CRLF line, escaped; the TAB or space that starts a folded line is kept. */
        static String headers(String crlfHeaders) {
            StringBuilder b = new StringBuilder(crlfHeaders.length() + 16);
            String[] lines = crlfHeaders.split("\r\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (i == lines.length - 1 && line.isEmpty()) break; // after the last CRLF
                boolean folded = !line.isEmpty() && (line.charAt(0) == '\t' || line.charAt(0) == ' ');
                if (folded) b.append(line.charAt(0));
                b.append(Printable.escape(folded ? line.substring(1) : line)).append('\n');
            }
            return b.toString();
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Attempt delivery now.")
    static final class Retry implements Callable<Integer> {
        @Mixin RemoteOptions remote;

        static final class Target {
            @Parameters(paramLabel = "ID") String id;
            @Option(names = "--all", description = "Every queued envelope") boolean all;
        }

        @ArgGroup(multiplicity = "1") Target target;

        @Override
        public Integer call() throws Exception {
            Optional<String> id = target.all ? Optional.empty() : Optional.of(target.id);
            int n = withQueue(remote, q -> q.retry(id));
            if (n == 0 && id.isPresent()) throw new Failure("nothing queued with id " + id.get());
            System.out.println("Scheduled " + n + " envelope(s) for delivery now");
            return 0;
        }
    }

    @Command(name = "bounce", mixinStandardHelpOptions = true, description = "Give up and return the message to its sender.")
    static final class Bounce implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() throws Exception {
            return onEnvelopes(remote, id, q -> q.bounce(id), "Bounced");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove from the queue without delivering.")
    static final class Delete implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() throws Exception {
            return onEnvelopes(remote, id, q -> q.delete(id), "Deleted");
        }
    }
}
