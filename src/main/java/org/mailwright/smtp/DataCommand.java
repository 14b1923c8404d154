package org.mailwright.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.mailwright.config.Config;
import org.mailwright.dkim.RawMessage;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.Spool;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * DATA: reads the message straight into the spool and answers 250 only once it is committed (fsync'd).
 * Only {@code CRLF . CRLF} ends the data; a bare LF or CR is refused and the connection closed, so the
 * message cannot smuggle a second one past us or the next hop (RFC 5321 §2.3.8, "SMTP smuggling").
 * The size is counted here: SubEthaSMTP does not enforce it.
 */
final class DataCommand extends BaseCommand {
    static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Inbound in;
    private final Config.Listener listener;

    DataCommand(Inbound in, Config.Listener listener) {
        super("DATA", "Sends the message");
        this.in = in;
        this.listener = listener;
    }

    @Override
    public void execute(String line, Session s) throws IOException, DropConnectionException {
        if (!s.isMailTransactionInProgress()) {
            Commands.failed(in, s, "DATA", "503 5.5.1 Need MAIL before DATA");
            return;
        }
        Transaction t = (Transaction) s.getMessageHandler();
        if (t.recipients.isEmpty()) {
            Commands.failed(in, s, "DATA", "554 5.5.1 No valid recipients");
            return;
        }
        if (!line.trim().equalsIgnoreCase("DATA")) {
            Commands.failed(in, s, "DATA", "501 5.5.4 Syntax: DATA (no parameters)");
            return;
        }
        s.sendResponse("354 End data with <CR><LF>.<CR><LF>");
        Config config = in.config();
        long max = config.delivery().maxMessageSize();
        Optional<String> user = Commands.user(s);
        boolean submission = listener.isSubmission() || user.isPresent();
        Spool.Incoming incoming = null;
        IOException spoolFailure = null;
        try {
            incoming = in.spool().receive();
        } catch (IOException e) {
            spoolFailure = e; // the data is still read to its end, so that none of it is taken for commands
        }
        try (Spool.Incoming queued = incoming) {
            String id = queued == null ? "-" : queued.id();
            Header header = new Header(received(s, t, id), submission ? t.from : null, submission ? config.hostname() : null, id);
            DataReader r = new DataReader(s.getRawInput(), s.getSocket(),
                    queued == null ? OutputStream.nullOutputStream() : queued.stream(), max,
                    config.limits().idleTimeout().toMillis(), config.limits().minDataRate(), header);
            DataReader.End end;
            try {
                end = r.copy();
            } catch (DataReader.TooMuchData e) {
                throw new DropConnectionException(552, "5.3.4 Message far too large; closing");
            }
            if (spoolFailure != null && end == DataReader.End.OK) end = DataReader.End.WRITE_FAILED;
            switch (end) {
                case EOF -> {
                    s.quit();
                    return;
                }
                case BARE_LINE_END -> {
                    Commands.failed(in, s, "DATA", "521 5.5.2 Bare <LF> or <CR> in message; lines must end in <CR><LF> (RFC 5321 §2.3.8)");
                    s.quit();
                    return;
                }
                case TOO_SLOW -> {
                    Commands.failed(in, s, "DATA", "421 4.4.2 " + config.hostname() + " Data arrived too slowly; closing");
                    s.quit();
                    return;
                }
                case TOO_BIG -> {
                    Commands.failed(in, s, "DATA", "552 5.3.4 Message size exceeds fixed limit of " + max + " bytes");
                    s.resetMailTransaction();
                    return;
                }
                case LINE_TOO_LONG -> {
                    Commands.failed(in, s, "DATA", "554 5.6.0 Message has a line longer than " + DataReader.MAX_LINE
                            + " characters (RFC 5321 §4.5.3.1.6); nothing was queued");
                    s.resetMailTransaction();
                    return;
                }
                case WRITE_FAILED -> {
                    IOException e = spoolFailure != null ? spoolFailure : r.writeFailure();
                    in.log().event(s.getSessionId(), "smtp", "spool-error", "error", String.valueOf(e.getMessage()));
                    s.sendResponse("451 4.3.0 Cannot queue the message now; try again later");
                    s.resetMailTransaction();
                    return;
                }
                case OK -> { }
            }
            if (user.isPresent()) {
                String problem = HeaderFrom.problem(header.fields, user.get(), in.recipients());
                if (problem != null) {
                    Commands.failed(in, s, "DATA", problem);
                    s.resetMailTransaction();
                    return;
                }
            }
            List<Spool.Recipient> recipients = t.recipients;
            String verdicts = "";
            if (!submission && !fromThisMachine(s) && !in.routing().trustsNetworkOf(s.getRemoteAddress().getAddress())) {
                // Mail from another server: SPF, DKIM and DMARC, then our Authentication-Results: on top (after our
                // Received:), and any that claims to be ours removed (RFC 8601 §5).
                ReceiveChecks.Outcome o = checks(s, t, header, queued);
                if (o.action() == ReceiveChecks.Action.REJECT || o.action() == ReceiveChecks.Action.DEFER) {
                    Commands.failed(in, s, "DATA", o.reply());
                    s.resetMailTransaction();
                    return;
                }
                verdicts = AuthenticationResults.logFields(o.checks());
                if (o.action() == ReceiveChecks.Action.JUNK) recipients = recipients.stream().map(x -> x.inFolder(JUNK)).toList();
            }
            List<Envelope> envelopes = queued.commit(t.from, recipients, Instant.now(), verdicts);
            in.log().event(s.getSessionId(), "smtp", "message", "msgid", queued.id(), "from", "<" + t.from + ">",
                    "size", r.size, "nrcpt", envelopes.size(), "proto", protocol(s));
            s.sendResponse("250 2.0.0 Ok: queued as " + queued.id());
            s.resetMailTransaction();
            in.scheduler().enqueue(envelopes);
        } catch (DropConnectionException e) {
            throw e;
        } catch (IOException e) {
            in.log().event(s.getSessionId(), "smtp", "spool-error", "error", String.valueOf(e.getMessage()));
            s.sendResponse("451 4.3.0 Cannot queue the message now; try again later");
            s.resetMailTransaction();
        }
    }

    /** The DMARC-quarantine folder (a Maildir++ folder that IMAP servers show as "Junk"). */
    static final String JUNK = "Junk";

    /** The header section of a message from another server must end within this many bytes. */
    static final int MAX_HEADER = 1 << 20;
    /** DKIM signatures of larger messages are not verified: the whole message is read into memory for them. */
    static final int MAX_VERIFIED = 8 << 20;

    /**
     * Runs the receive checks on the message as the client sent it and writes the verdicts into the queued copy.
     * Memory stays bounded: the header section (at most {@link #MAX_HEADER}) and, for DKIM, messages up to
     * {@link #MAX_VERIFIED}.
     */
    private ReceiveChecks.Outcome checks(Session s, Transaction t, Header header, Spool.Incoming queued) throws IOException {
        int start = header.received.length;
        long size = queued.size() - start;
        byte[] head = queued.read(start, (int) Math.min(size, MAX_HEADER));
        int headerEnd = RawMessage.parse(head).bodyStart();
        if (headerEnd == head.length && size > head.length) {
            in.log().event(s.getSessionId(), "smtp", "checks", "msgid", queued.id(), "from", "<" + t.from + ">",
                    "action", "reject", "reason", "header over " + MAX_HEADER + " bytes");
            return new ReceiveChecks.Outcome(ReceiveChecks.Action.REJECT, "552 5.3.4 The header section is longer than "
                    + MAX_HEADER + " bytes; nothing was queued", null, "header over " + MAX_HEADER + " bytes");
        }
        byte[] whole = size <= MAX_VERIFIED ? (size == head.length ? head : queued.read(start, (int) size)) : null;
        ReceiveChecks.Outcome o = in.checks().check(s.getRemoteAddress().getAddress(), s.getHelo().orElse(""), t.from,
                header.fields.values("from"), header.fields.tooLong(), whole);
        in.log().event(s.getSessionId(), "smtp", "checks", "msgid", queued.id(), "from", "<" + t.from + ">",
                "spf", AuthenticationResults.spfWord(o.checks()), "dkim", AuthenticationResults.dkimWord(o.checks()),
                "dmarc", AuthenticationResults.dmarcWord(o.checks()), "action", o.action().name().toLowerCase(Locale.ROOT),
                "reason", o.reason());
        if (o.action() == ReceiveChecks.Action.DELIVER || o.action() == ReceiveChecks.Action.JUNK) {
            byte[] ours = AuthenticationResults.header(in.config().hostname(), o.checks()).getBytes(StandardCharsets.US_ASCII);
            byte[] fields = java.util.Arrays.copyOf(head, headerEnd);
            byte[] cleaned = AuthenticationResults.removeOurs(fields, in.config().hostname());
            byte[] replacement = new byte[ours.length + cleaned.length];
            System.arraycopy(ours, 0, replacement, 0, ours.length);
            System.arraycopy(cleaned, 0, replacement, ours.length, cleaned.length);
            queued.replace(start, headerEnd, replacement);
        }
        return o;
    }

    /**
     * The machine's own programs (127.0.0.1, ::1): trusted like an authenticated user, not checked as a server (nor
     * are networks a {@code src:} rule lets relay).
     */
    private static boolean fromThisMachine(Session s) {
        InetAddress a = s.getRemoteAddress().getAddress();
        return a != null && (a.getHostAddress().equals("127.0.0.1") || a.getHostAddress().equals("0:0:0:0:0:0:0:1"));
    }

    private String received(Session s, Transaction t, String id) {
        StringBuilder b = new StringBuilder("Received: from ");
        b.append(s.getHelo().orElse("unknown")).append(" ([").append(Commands.ip(s)).append("])\r\n");
        b.append("\tby ").append(in.config().hostname()).append(" (Mailwright) with ").append(protocol(s));
        b.append(" id ").append(id).append("\r\n");
        String tls = Commands.tlsDescription(s);
        if (tls != null) b.append("\t(using ").append(tls).append(")\r\n");
        Commands.user(s).ifPresent(u -> b.append("\t(Authenticated sender: ").append(u).append(")\r\n"));
        if (t.named.size() == 1) b.append("\tfor <").append(t.named.get(0)).append(">");
        b.append("; ").append(RFC5322.format(Instant.now())).append("\r\n");
        return b.toString();
    }

    /** RFC 3848's with-protocol names. */
    private static String protocol(Session s) {
        return "ESMTP" + (s.isTLSStarted() ? "S" : "") + (s.isAuthenticated() ? "A" : "");
    }

    /**
     * The header on its way to the spool: our Received: first, the client's lines as they come, and on
     * submission the fields the client left out, added where the header ends (RFC 6409 §8.1–8.3).
     */
    private static final class Header implements DataReader.HeaderSink {
        final DataReader.Fields fields = new DataReader.Fields();
        final byte[] received;
        private final String envelopeFrom;
        private final String submissionHost;
        private final String id;
        private boolean started;

        /** {@code submissionHost}: our host name when missing fields are to be added, else null. */
        Header(String received, String envelopeFrom, String submissionHost, String id) {
            this.received = received.getBytes(StandardCharsets.UTF_8);
            this.envelopeFrom = envelopeFrom;
            this.submissionHost = submissionHost;
            this.id = id;
        }

        @Override
        public void line(byte[] b, int off, int len, OutputStream out) throws IOException {
            start(out);
            fields.see(b, off, len);
            out.write(b, off, len);
            out.write('\r');
            out.write('\n');
        }

        @Override
        public void end(OutputStream out) throws IOException {
            start(out);
            if (submissionHost == null) return;
            StringBuilder b = new StringBuilder();
            if (fields.values("from").isEmpty() && envelopeFrom != null && !envelopeFrom.isEmpty()) {
                b.append("From: <").append(envelopeFrom).append(">\r\n");
            }
            if (!fields.hasMessageId) {
                b.append("Message-ID: <").append(id).append('.').append(UUID.randomUUID()).append('@').append(submissionHost).append(">\r\n");
            }
            if (!fields.hasDate) b.append("Date: ").append(RFC5322.format(Instant.now())).append("\r\n");
            out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
        }

        private void start(OutputStream out) throws IOException {
            if (started) return;
            started = true;
            out.write(received);
        }
    }
}
