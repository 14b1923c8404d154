package org.mailwright.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.control.ControlClient;
import org.mailwright.control.ControlServer;
import org.mailwright.control.LocalSubmission;
import org.mailwright.lookup.Passwd;
import org.mailwright.lookup.Recipients;
import org.mailwright.queue.Spool;
import org.mailwright.lookup.AliasFile;
import org.mailwright.lookup.Srs;
import org.mailwright.ruleset.Routing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code sendmail}: a message on standard input, queued as local mail (like {@code /usr/sbin/sendmail}), so that
 * {@code mail bob} and cron work for every user of the host. While the engine runs, the message goes to it over
 * {@code DATA/submit.sock}, which any local user may use: the engine learns who sends from the socket's peer
 * credentials, routes the message and queues it (see {@link ControlServer}). While the engine is stopped, root
 * (or the data directory's owner) writes the spool directly and the engine delivers when it starts; anybody else
 * is told to try again later (exit 75, EX_TEMPFAIL, which mail(1) and cron understand).
 */
@Command(name = "sendmail", mixinStandardHelpOptions = true,
        description = "Queue a message read from standard input, like /usr/sbin/sendmail.")
public final class SendmailCommand implements Callable<Integer> {
    /** sysexits.h EX_TEMPFAIL: try again later. */
    static final int EX_TEMPFAIL = 75;

    @Option(names = "-t", description = "Take recipients from To:, Cc: and Bcc: (Bcc: is removed)") boolean fromHeaders;
    @Option(names = "-f", paramLabel = "FROM", description = "Envelope sender ('<>' or '': the null sender); honoured for root, "
            + "the engine's user and [submission] send_as_anyone — everybody else sends as USER@hostname") String from;
    @Option(names = "-F", paramLabel = "NAME", description = "Full name for a From: header that is added") String fullName;
    @Option(names = {"-i", "-oi"}, description = "A line with a single dot does not end the message") boolean ignoreDots;
    @Option(names = "--print-id", description = "Print the queue id on standard output (for `mailwright log --message ID`)") boolean printId;
    @Parameters(paramLabel = "RCPT", description = "Recipients (a bare name means NAME@first domain)") List<String> recipients = new ArrayList<>();
    @Unmatched List<String> ignored = new ArrayList<>(); // -odq, -oem and other sendmail options that change nothing here

    @Override
    public Integer call() throws Exception {
        LocalSubmission.Request request = new LocalSubmission.Request(from, recipients, fromHeaders, fullName);
        String bad = LocalSubmission.badRequest(request);
        if (bad != null) {
            System.err.println("mailwright: " + bad);
            return 2;
        }
        Path data = DataDir.path();
        ControlClient engine = new ControlClient(data);
        InputStream message = new DotInput(System.in, ignoreDots);
        try {
            Optional<ControlClient.Submission> submission = engine.submit(request);
            if (submission.isPresent()) {
                try (ControlClient.Submission s = submission.get()) {
                    copy(message, s, s.maxMessageSize());
                    String id = s.finish();
                    if (printId) System.out.println(id);
                }
                return 0;
            }
        } catch (ControlClient.Refused r) {
            System.err.println("mailwright: " + r.getMessage());
            return r.temporary() ? EX_TEMPFAIL : 1;
        }

        // No engine answers. Root, or the data directory's owner, queues directly; anybody else cannot.
        if (Files.exists(data) && !Files.isWritable(data)) {
            System.err.println("mailwright: the mail engine is not running (nothing answers on " + data.resolve(ControlServer.SUBMIT_SOCKET)
                    + ") — nothing was sent; try again later, or ask the administrator to start it");
            return EX_TEMPFAIL;
        }
        Config config = ConfigLoader.load(data);
        String user = System.getProperty("user.name", "root");
        UserPrincipal owner = Files.getOwner(data);
        Spool spool = new Spool(data, user.equals("root") && !owner.getName().equals("root") ? owner : null);
        LocalSubmission local = new LocalSubmission(config, new Routing(config, new Recipients(config, new Passwd(data)),
                new AliasFile(data), Srs.Key.of(data)), spool);
        LocalSubmission.Queued q;
        try {
            q = local.receive(local.prepare(user, true, request), message);
        } catch (LocalSubmission.Refused r) {
            System.err.println("mailwright: " + r.getMessage());
            return r.temporary() ? EX_TEMPFAIL : 1;
        }
        if (printId) System.out.println(q.id());
        if (engine.engineRunning()) {
            engine.adopt(q.id()); // it started meanwhile
        } else {
            System.err.println("mailwright: queued as " + q.id() + "; the engine is not running, it will deliver when started");
        }
        return 0;
    }

    /** Streams the message to the engine; stops reading once it is over the engine's limit (nothing is queued then). */
    private static void copy(InputStream in, ControlClient.Submission s, long max) throws IOException {
        byte[] buf = new byte[65536];
        long total = 0;
        OutputStream out = s.body();
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > max) {
                throw new Failure("the message is larger than max_message_size (" + max + " bytes) — nothing was queued");
            }
            try {
                out.write(buf, 0, n);
            } catch (IOException e) {
                IOException why = s.refusalOr(e);
                throw new Failure(why.getMessage(), why);
            }
        }
    }

    /**
     * Standard input up to a line that is a single dot (unless {@code -i}); lines end at LF here, as in sendmail,
     * so {@code "\r.\r\n"} after a bare CR does not end the message. Streams through one 64 KiB buffer.
     */
    static final class DotInput extends InputStream {
        private final InputStream in;
        private final boolean ignoreDots;
        private final byte[] buf = new byte[65536];
        private int pos;
        private int len;
        private boolean inEof;
        private boolean lineStart = true;
        private boolean ended;
        private final byte[] pending = new byte[2];
        private int pendingLen;
        private int pendingPos;

        DotInput(InputStream in, boolean ignoreDots) {
            this.in = in;
            this.ignoreDots = ignoreDots;
        }

        private int next() throws IOException {
            if (pos == len) {
                if (inEof) return -1;
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) {
                    inEof = true;
                    return -1;
                }
                pos = 0;
                len = n;
            }
            return buf[pos++] & 0xff;
        }

        @Override
        public int read() throws IOException {
            if (pendingPos < pendingLen) {
                int c = pending[pendingPos++] & 0xff;
                lineStart = c == '\n';
                return c;
            }
            if (ended) return -1;
            int c = next();
            if (c == -1) {
                ended = true;
                return -1;
            }
            if (c == '.' && lineStart && !ignoreDots) {
                int d = next();
                if (d == '\n' || d == -1) {
                    ended = true;
                    return -1;
                }
                pendingLen = 0;
                pendingPos = 0;
                if (d == '\r') {
                    int e = next();
                    if (e == '\n') {
                        ended = true;
                        return -1;
                    }
                    pending[pendingLen++] = '\r';
                    if (e != -1) pending[pendingLen++] = (byte) e;
                } else {
                    pending[pendingLen++] = (byte) d;
                }
                lineStart = false;
                return '.';
            }
            lineStart = c == '\n';
            return c;
        }

        @Override
        public int read(byte[] b, int off, int n) throws IOException {
            if (n == 0) return 0;
            int i = 0;
            while (i < n) {
                int c = read();
                if (c == -1) return i == 0 ? -1 : i;
                b[off + i++] = (byte) c;
                if (pos == len && pendingPos >= pendingLen) break; // hand on what we have rather than wait for more input
            }
            return i;
        }
    }
}
