package org.mailwright.cli;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.mailwright.admin.Admin;
import org.mailwright.admin.Since;
import org.mailwright.log.MaillogEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "log", mixinStandardHelpOptions = true,
        description = {"The maillog (DATA/log/maillog and its rotated files), oldest first.",
                "-f keeps following new lines (also across rotation) until interrupted; without --since it starts with the last 10."})
public final class LogCommand implements Callable<Integer> {
    @Mixin RemoteOptions remote;
    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they are written") boolean follow;
    @Option(names = "--since", paramLabel = "T", description = "Only lines from T on: an instant (2026-12-02T10:00:00Z) or a duration back (90s, 15m, 1h, 2d)")
    String since;
    @Option(names = "--message", paramLabel = "ID", description = "Only the lines of one message (a message or envelope id): its envelopes' attempts and results")
    String message;
    /** For RemoteAdmin: stop when standard input ends, which is when the SSH channel that started us closes. */
    @Option(names = "--until-stdin-closes", hidden = true) boolean untilStdinCloses;

    @Override
    public Integer call() throws Exception {
        Instant from = since == null ? null : Since.parse(since, Clock.systemUTC());
        try (Admin admin = remote.admin()) {
            if (!follow) {
                (message == null ? admin.log(from) : admin.messageLog(message, from)).forEach(System.out::println);
                return 0;
            }
            CountDownLatch done = new CountDownLatch(1);
            if (untilStdinCloses) {
                Thread eof = new Thread(() -> {
                    try {
                        while (System.in.read() >= 0) {
                            // nothing is sent; we only wait for the end
                        }
                    } catch (java.io.IOException e) {
                        // the channel is gone all the same
                    }
                    done.countDown();
                }, "stdin-eof");
                eof.setDaemon(true);
                eof.start();
            }
            try (AutoCloseable tail = admin.followLog(from, line -> {
                if (message != null && !MaillogEntry.ofMessage(line, message)) return;
                System.out.println(line);
                if (System.out.checkError()) done.countDown(); // the reader went away
            })) {
                done.await(); // else until SIGINT/SIGTERM ends the JVM
            }
        }
        return 0;
    }
}
