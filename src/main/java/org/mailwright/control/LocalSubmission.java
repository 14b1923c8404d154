package org.mailwright.control;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.mailwright.config.Config;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.Spool;
import org.mailwright.ruleset.Routing;
import org.mailwright.ruleset.Ruleset;

/**
 * Local submission, the {@code sendmail} way: a message from a Unix user of this host, routed by the ruleset
 * and written to the spool (committed, fsync'd) while it is read — never held whole in memory. The engine runs
 * it for every client of {@code DATA/submit.sock} (the user comes from the socket's peer credentials, never from
 * the client), and {@code sendmail} runs it itself for root while the engine is stopped.
 */
public final class LocalSubmission {
    static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** Header bytes kept in memory to parse; beyond this the rest is body (as DATA does). */
    static final int MAX_HEADER_BYTES = 1024 * 1024;

    /** What the client asked for: {@code -f} (null: not given), recipients, {@code -t}, {@code -F}. */
    public record Request(String from, List<String> recipients, boolean fromHeaders, String fullName) {
        public Request {
            recipients = List.copyOf(recipients);
        }
    }

    /** A refusal: one line for the user; {@code temporary} when trying again later may work (exit 75). */
    public static final class Refused extends Exception {
        private final boolean temporary;

        public Refused(String message, boolean temporary) {
            super(message);
            this.temporary = temporary;
        }

        public boolean temporary() {
            return temporary;
        }
    }

    /** A request checked and routed as far as it can be before the message is read. */
    public record Prepared(String user, String sender, Request request, List<Spool.Recipient> routed) {}

    /** The committed message. */
    public record Queued(String id, String sender, List<Envelope> envelopes, long size) {}

    private final Config config;
    private final Routing routing;
    private final Spool spool;

    public LocalSubmission(Config config, Routing routing, Spool spool) {
        this.config = config;
        this.routing = routing;
        this.spool = spool;
    }

    public long maxMessageSize() {
        return config.delivery().maxMessageSize();
    }

    /** {@code -f '<>'} and {@code -f ''}: the null sender (bounces, vacation replies). */
    public static boolean isNullSender(String from) {
        String f = from.strip();
        return f.isEmpty() || f.equals("<>");
    }

    /** The first control character in {@code s} named for an error message ("CR", "LF", "NUL", "U+0007"), or null. */
    public static String controlCharacter(String s) {
        if (s == null) return null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return switch (c) {
                    case '\r' -> "CR";
                    case '\n' -> "LF";
                    case 0 -> "NUL";
                    case '\t' -> "TAB";
                    default -> String.format("U+%04X", (int) c);
                };
            }
        }
        return null;
    }

    /** Null when every address and name of the request is free of control characters, else why not. */
    public static String badRequest(Request r) {
        String c = controlCharacter(r.from());
        if (c != null) return "the -f address contains a control character (" + c + ") — nothing was queued";
        c = controlCharacter(r.fullName());
        if (c != null) return "the -F name contains a control character (" + c + ") — nothing was queued";
        for (String a : r.recipients()) {
            c = controlCharacter(a);
            if (c != null) return "a recipient address contains a control character (" + c + ") — nothing was queued";
        }
        return null;
    }

    /**
     * Checks the request for Unix user {@code user} and routes its argument recipients. {@code mayChooseSender}:
     * root, the engine's own user or a user of {@code [submission] send_as_anyone} — only they get their {@code -f};
     * everybody else sends as {@code USER@hostname}.
     */
    public Prepared prepare(String user, boolean mayChooseSender, Request r) throws Refused, IOException {
        String bad = badRequest(r);
        if (bad != null) throw new Refused(bad, false);
        if (controlCharacter(user) != null || user.isBlank()) throw new Refused("unusable user name", false);
        String own = user + "@" + config.hostname();
        String sender;
        if (r.from() == null || !mayChooseSender) {
            sender = own;
        } else if (isNullSender(r.from())) {
            sender = "";
        } else {
            sender = qualify(r.from());
            if (!sender.matches("[^\\s<>@]+@[^\\s<>@]+")) throw new Refused("cannot use \"" + r.from() + "\" as the sender", false);
        }
        List<String> rcpts = new ArrayList<>();
        for (String a : r.recipients()) rcpts.addAll(addresses(a));
        if (rcpts.isEmpty() && !r.fromHeaders()) {
            throw new Refused("no recipients — name them as arguments or use -t with To:/Cc:/Bcc: headers", false);
        }
        return new Prepared(user, sender, r, route(rcpts, sender));
    }

    /**
     * Reads the message (any line ends; end of stream ends it), adds Received:, and From:, Date:, Message-ID:
     * when missing, and commits it to the spool. Refused once more than max_message_size bytes were read: reading
     * stops there and nothing is queued.
     */
    public Queued receive(Prepared p, InputStream raw) throws Refused, IOException {
        long max = maxMessageSize();
        try {
            return receive(p, new CrlfInput(raw, max));
        } catch (CrlfInput.TooBig e) {
            throw new Refused("the message is larger than max_message_size (" + max + " bytes) — nothing was queued", false);
        }
    }

    private Queued receive(Prepared p, CrlfInput in) throws Refused, IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        readHeader(in, head);
        byte[] header = head.toByteArray();
        InternetHeaders headers;
        try {
            headers = new InternetHeaders(new ByteArrayInputStream(header));
        } catch (MessagingException e) {
            throw new Refused("cannot read the message headers: " + e.getMessage(), false);
        }
        List<Spool.Recipient> routed = new ArrayList<>(p.routed());
        if (p.request().fromHeaders()) {
            List<String> more = new ArrayList<>();
            for (String h : new String[] {"To", "Cc", "Bcc"}) {
                String[] values = headers.getHeader(h);
                if (values == null) continue;
                for (String v : values) more.addAll(addresses(v));
            }
            for (Spool.Recipient r : route(more, p.sender())) {
                if (routed.stream().noneMatch(x -> x.to().equalsIgnoreCase(r.to()))) routed.add(r);
            }
        }
        if (routed.isEmpty()) throw new Refused("no recipients — name them as arguments or use -t with To:/Cc:/Bcc: headers", false);

        try (Spool.Incoming incoming = spool.receive()) {
            OutputStream out = incoming.stream();
            String now = RFC5322.format(Instant.now());
            StringBuilder added = new StringBuilder();
            added.append("Received: from local user ").append(p.user()).append("\r\n\tby ").append(config.hostname())
                    .append(" (Mailwright) with local id ").append(incoming.id()).append(";\r\n\t").append(now).append("\r\n");
            if (headers.getHeader("From") == null) {
                String addr = p.sender().isEmpty() ? p.user() + "@" + config.hostname() : p.sender();
                String name = p.request().fullName();
                try {
                    added.append("From: ").append(name == null ? addr : new InternetAddress(addr, name, "UTF-8").toString()).append("\r\n");
                } catch (UnsupportedEncodingException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (headers.getHeader("Date") == null) added.append("Date: ").append(now).append("\r\n");
            if (headers.getHeader("Message-ID") == null) {
                added.append("Message-ID: <").append(incoming.id()).append('.').append(UUID.randomUUID()).append('@')
                        .append(config.hostname()).append(">\r\n");
            }
            out.write(added.toString().getBytes(StandardCharsets.UTF_8));
            out.write(p.request().fromHeaders() ? withoutBcc(header) : header);
            in.transferTo(out);
            List<Envelope> envelopes = incoming.commit(p.sender(), routed, Instant.now());
            return new Queued(incoming.id(), p.sender(), envelopes, in.count());
        }
    }

    private static void readHeader(CrlfInput in, ByteArrayOutputStream head) throws IOException {
        // Lines up to the empty line (kept: it separates header and body), or MAX_HEADER_BYTES, or the end.
        int prev = -1;
        boolean lineStart = true;
        int c;
        while (head.size() < MAX_HEADER_BYTES && (c = in.read()) != -1) {
            head.write(c);
            if (c == '\n' && prev == '\r') {
                if (lineStart) return;
                lineStart = true;
            } else if (c != '\r') {
                lineStart = false;
            }
            prev = c;
        }
    }

    private List<Spool.Recipient> route(List<String> rcpts, String sender) throws Refused, IOException {
        List<Spool.Recipient> routed = new ArrayList<>();
        Ruleset.Origin origin = new Ruleset.Origin(InetAddress.getLoopbackAddress(), false, true);
        for (String r : rcpts.stream().map(s -> s.toLowerCase(Locale.ROOT)).distinct().toList()) {
            Routing.Route route = routing.route(origin, r, sender);
            if (route instanceof Routing.Route.Reject x) {
                throw new Refused("<" + r + ">: " + (x.unknown() ? "no such user here" : x.reason()) + " — nothing was queued", false);
            }
            for (Spool.Recipient to : ((Routing.Route.Accept) route).recipients()) {
                if (!routed.contains(to)) routed.add(to);
            }
        }
        return routed;
    }

    /** A bare name means NAME@first domain. */
    String qualify(String address) {
        String a = address.strip();
        if (a.startsWith("<") && a.endsWith(">")) a = a.substring(1, a.length() - 1);
        return a.contains("@") ? a : a + "@" + config.primaryDomain();
    }

    List<String> addresses(String header) throws Refused {
        List<String> out = new ArrayList<>();
        if (controlCharacter(header.replace("\r\n", "").replace('\t', ' ')) != null) {
            throw new Refused("a recipient address contains a control character — nothing was queued", false);
        }
        try {
            for (InternetAddress a : InternetAddress.parseHeader(header, false)) {
                if (a.getAddress() != null && !a.getAddress().isBlank()) out.add(qualify(a.getAddress()));
            }
        } catch (AddressException e) {
            throw new Refused("cannot read the address \"" + header + "\": " + e.getMessage(), false);
        }
        return out;
    }

    static byte[] withoutBcc(byte[] header) {
        String head = new String(header, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        boolean skipping = false;
        for (String l : head.split("(?<=\r\n)")) {
            if (!l.startsWith(" ") && !l.startsWith("\t")) skipping = l.regionMatches(true, 0, "Bcc:", 0, 4);
            if (!skipping) out.append(l);
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The message as CRLF lines while it is read: a bare CR or a bare LF becomes CRLF, and a missing last line end
     * is added. Counts the bytes read and fails with {@link TooBig} as soon as there are more than {@code max}.
     */
    static final class CrlfInput extends InputStream {
        static final class TooBig extends IOException {
            TooBig() {
                super("message too large");
            }
        }

        private final InputStream in;
        private final long max;
        private final byte[] buf = new byte[65536];
        private int pos;
        private int len;
        private long count;
        private boolean eof;
        private int back = -1;      // one byte read ahead after a CR
        private boolean lfDue;      // "\n" of a CRLF still to emit
        private int last = '\n';    // last byte emitted (an empty message gets no line end)

        CrlfInput(InputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        long count() {
            return count;
        }

        private int next() throws IOException {
            if (back >= 0) {
                int b = back;
                back = -1;
                return b;
            }
            if (pos == len) {
                if (eof) return -1;
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) {
                    eof = true;
                    return -1;
                }
                pos = 0;
                len = n;
                count += n;
                if (count > max) throw new TooBig();
            }
            return buf[pos++] & 0xff;
        }

        @Override
        public int read() throws IOException {
            if (lfDue) {
                lfDue = false;
                return last = '\n';
            }
            int c = next();
            if (c == -1) {
                if (last == '\n') return -1;
                lfDue = true; // the last line had no end: add CRLF
                return last = '\r';
            }
            if (c == '\r') {
                int d = next();
                if (d != '\n' && d != -1) back = d; // a bare CR
                lfDue = true;
                return last = '\r';
            }
            if (c == '\n') { // a bare LF
                lfDue = true;
                return last = '\r';
            }
            return last = c;
        }

        @Override
        public int read(byte[] b, int off, int n) throws IOException {
            if (n == 0) return 0;
            int i = 0;
            while (i < n) {
                int c = read();
                if (c == -1) return i == 0 ? -1 : i;
                b[off + i++] = (byte) c;
            }
            return i;
        }
    }
}
