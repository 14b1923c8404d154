package org.mailwright.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.mailwright.config.Config;
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
    private static final int MAX_HEADER_BYTES = 1024 * 1024;

    private final Inbound in;
    private final Config.Listener listener;

    DataCommand(Inbound in, Config.Listener listener) {
        super("DATA", "Sends the message");
        this.in = in;
        this.listener = listener;
    }

    /** How reading the data ended. */
    private enum End { OK, TOO_BIG, BARE_LINE_END, EOF }

    @Override
    public void execute(String line, Session s) throws IOException, DropConnectionException {
        if (!s.isMailTransactionInProgress()) {
            s.sendResponse("503 5.5.1 Need MAIL before DATA");
            return;
        }
        Transaction t = (Transaction) s.getMessageHandler();
        if (t.recipients.isEmpty()) {
            s.sendResponse("554 5.5.1 No valid recipients");
            return;
        }
        if (!line.trim().equalsIgnoreCase("DATA")) {
            s.sendResponse("501 5.5.4 Syntax: DATA (no parameters)");
            return;
        }
        s.sendResponse("354 End data with <CR><LF>.<CR><LF>");
        long max = in.config().delivery().maxMessageSize();
        Spool.Incoming incoming;
        try {
            incoming = in.spool().receive();
        } catch (IOException e) {
            drain(s.getRawInput(), max);
            in.log().event(s.getSessionId(), "smtp", "spool-error", "error", e.getMessage());
            s.sendResponse("451 4.3.0 Cannot queue the message now; try again later");
            s.resetMailTransaction();
            return;
        }
        try (incoming) {
            Reader r = new Reader(s.getRawInput(), incoming.stream(), max, received(s, t, incoming.id()),
                    listener.isSubmission() ? in.config().hostname() : null, incoming.id());
            End end = r.copy();
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
                case TOO_BIG -> {
                    Commands.failed(in, s, "DATA", "552 5.3.4 Message size exceeds fixed limit of " + max + " bytes");
                    s.resetMailTransaction();
                    return;
                }
                case OK -> { }
            }
            r.finish();
            List<Envelope> envelopes = incoming.commit(t.from, t.recipients, Instant.now());
            in.log().event(s.getSessionId(), "smtp", "message", "msgid", incoming.id(), "from", "<" + t.from + ">",
                    "size", r.size, "nrcpt", envelopes.size(), "proto", protocol(s));
            s.sendResponse("250 2.0.0 Ok: queued as " + incoming.id());
            s.resetMailTransaction();
            in.scheduler().enqueue(envelopes);
        } catch (IOException e) {
            in.log().event(s.getSessionId(), "smtp", "spool-error", "error", e.getMessage());
            s.sendResponse("451 4.3.0 Cannot queue the message now; try again later");
            s.resetMailTransaction();
        }
    }

    private String received(Session s, Transaction t, String id) {
        StringBuilder b = new StringBuilder("Received: from ");
        b.append(s.getHelo().orElse("unknown")).append(" ([").append(Commands.ip(s)).append("])\r\n");
        b.append("\tby ").append(in.config().hostname()).append(" (Mailwright) with ").append(protocol(s));
        b.append(" id ").append(id).append("\r\n");
        String tls = Commands.tlsDescription(s);
        if (tls != null) b.append("\t(using ").append(tls).append(")\r\n");
        Commands.user(s).ifPresent(u -> b.append("\t(Authenticated sender: ").append(u).append(")\r\n"));
        if (t.recipients.size() == 1) b.append("\tfor <").append(t.recipients.get(0).to()).append(">");
        b.append("; ").append(RFC5322.format(Instant.now())).append("\r\n");
        return b.toString();
    }

    /** RFC 3848's with-protocol names. */
    private static String protocol(Session s) {
        return "ESMTP" + (s.isTLSStarted() ? "S" : "") + (s.isAuthenticated() ? "A" : "");
    }

    private static void drain(InputStream raw, long max) throws IOException, DropConnectionException {
        new Reader(raw, OutputStream.nullOutputStream(), max, "", null, "").copy();
    }

    /** Reads dot-terminated, dot-stuffed data line by line; buffers the header block to add what is missing. */
    private static final class Reader {
        private final InputStream raw;
        private final OutputStream out;
        private final long max;
        private final ByteArrayOutputStream header = new ByteArrayOutputStream();
        private boolean inHeader = true;
        private boolean hasMessageId;
        private boolean hasDate;
        private final String submissionHost;
        private final String id;
        long size;

        /** {@code submissionHost}: our hostname when Message-ID and Date are to be added, else null. */
        Reader(InputStream raw, OutputStream out, long max, String received, String submissionHost, String id) {
            this.raw = raw;
            this.out = out;
            this.max = max;
            this.submissionHost = submissionHost;
            this.id = id;
            header.writeBytes(received.getBytes(StandardCharsets.UTF_8));
        }

        End copy() throws IOException, DropConnectionException {
            byte[] line = new byte[1024];
            boolean tooBig = false;
            for (;;) {
                int len = 0;
                int c;
                while ((c = raw.read()) != -1) {
                    if (len == line.length) line = java.util.Arrays.copyOf(line, len * 2);
                    line[len++] = (byte) c;
                    if (c == '\n') break;
                    if (len > 2 * 1024 * 1024) break; // an absurd line: keep memory bounded, still count it
                }
                if (c == -1) return End.EOF;
                boolean crlf = len >= 2 && line[len - 2] == '\r' && line[len - 1] == '\n';
                boolean lf = len >= 1 && line[len - 1] == '\n';
                if (lf && !crlf) return End.BARE_LINE_END;
                for (int i = 0; i < len - 2; i++) {
                    if (line[i] == '\r') return End.BARE_LINE_END;
                }
                if (len == 3 && line[0] == '.') return tooBig ? End.TOO_BIG : End.OK;
                int start = line[0] == '.' ? 1 : 0; // dot-unstuffing (RFC 5321 §4.5.2)
                size += len - start;
                if (size > max) {
                    tooBig = true;
                    if (size > 2 * max + 1024 * 1024) throw new DropConnectionException(552, "5.3.4 Message far too large; closing");
                    continue;
                }
                if (!tooBig) write(line, start, len - start);
            }
        }

        private void write(byte[] b, int off, int len) throws IOException {
            if (!inHeader) {
                out.write(b, off, len);
                return;
            }
            if (len == 2 || header.size() > MAX_HEADER_BYTES) {
                inHeader = false;
                flushHeader();
                out.write(b, off, len);
                return;
            }
            String start = new String(b, off, Math.min(len, 16), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            if (start.startsWith("message-id:")) hasMessageId = true;
            if (start.startsWith("date:")) hasDate = true;
            header.write(b, off, len);
        }

        private void flushHeader() throws IOException {
            header.writeTo(out);
            header.reset();
            if (submissionHost != null) {
                // Submission adds what the client left out (RFC 6409 §8.2, §8.3).
                StringBuilder b = new StringBuilder();
                if (!hasMessageId) {
                    b.append("Message-ID: <").append(id).append('.').append(UUID.randomUUID()).append('@').append(submissionHost).append(">\r\n");
                }
                if (!hasDate) b.append("Date: ").append(RFC5322.format(Instant.now())).append("\r\n");
                out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
            }
        }

        /** A message without a body: the header block still has to be written. */
        void finish() throws IOException {
            if (inHeader) {
                inHeader = false;
                flushHeader();
            }
        }
    }
}
