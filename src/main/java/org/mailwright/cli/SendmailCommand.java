package org.mailwright.cli;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.control.ControlClient;
import org.mailwright.lookup.Passwd;
import org.mailwright.lookup.Recipients;
import org.mailwright.queue.Envelope;
import org.mailwright.queue.Spool;
import org.mailwright.ruleset.Ruleset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code sendmail}: a message on standard input, queued as local mail (like {@code /usr/sbin/sendmail}),
 * so that {@code mail bob} and cron work. The running engine is told to pick it up at once.
 */
@Command(name = "sendmail", mixinStandardHelpOptions = true,
        description = "Queue a message read from standard input, like /usr/sbin/sendmail.")
public final class SendmailCommand implements Callable<Integer> {
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @Option(names = "-t", description = "Take recipients from To:, Cc: and Bcc: (Bcc: is removed)") boolean fromHeaders;
    @Option(names = "-f", paramLabel = "FROM", description = "Envelope sender (default: USER@first domain)") String from;
    @Option(names = "-F", paramLabel = "NAME", description = "Full name for a From: header that is added") String fullName;
    @Option(names = {"-i", "-oi"}, description = "A line with a single dot does not end the message") boolean ignoreDots;
    @Parameters(paramLabel = "RCPT", description = "Recipients (a bare name means NAME@first domain)") List<String> recipients = new ArrayList<>();
    @Unmatched List<String> ignored = new ArrayList<>(); // -odq, -oem and other sendmail options that change nothing here

    @Override
    public Integer call() throws Exception {
        Config config = ConfigLoader.load(DataDir.path());
        String user = System.getProperty("user.name", "root").toLowerCase(Locale.ROOT);
        String sender = from != null ? qualify(from, config) : qualify(user, config);
        byte[] raw = readMessage(System.in, config.delivery().maxMessageSize());
        byte[] wire = toCrlf(raw);
        int headerEnd = headerEnd(wire);
        InternetHeaders headers;
        try {
            headers = new InternetHeaders(new ByteArrayInputStream(wire, 0, headerEnd));
        } catch (MessagingException e) {
            throw new Failure("cannot read the message headers: " + e.getMessage());
        }
        List<String> rcpts = new ArrayList<>();
        for (String r : recipients) rcpts.addAll(addresses(r, config));
        if (fromHeaders) {
            for (String h : new String[] {"To", "Cc", "Bcc"}) {
                String[] values = headers.getHeader(h);
                if (values == null) continue;
                for (String v : values) rcpts.addAll(addresses(v, config));
            }
        }
        if (rcpts.isEmpty()) throw new Failure("no recipients — name them as arguments or use -t with To:/Cc:/Bcc: headers");

        Recipients lookup = new Recipients(config, new Passwd(DataDir.path()));
        Ruleset ruleset = new Ruleset(config);
        List<Spool.Recipient> routed = new ArrayList<>();
        for (String r : rcpts.stream().distinct().toList()) {
            Ruleset.Decision d = ruleset.decide(new Ruleset.Origin(InetAddress.getLoopbackAddress(), false, true), r);
            boolean local = config.isLocalDomain(Ruleset.domainOf(r));
            if (d.action() == Config.Action.REJECT) throw new Failure("<" + r + ">: refused by the rules in mailwright.conf (" + d.reason() + ")");
            if (local) {
                Optional<String> u = lookup.localUser(r);
                if (u.isEmpty()) throw new Failure("<" + r + ">: no such user here — nothing was queued");
                routed.add(new Spool.Recipient(r, u.get(), Envelope.Action.DELIVER));
            } else if (d.action() == Config.Action.RELAY) {
                routed.add(new Spool.Recipient(r, "", Envelope.Action.RELAY));
            } else {
                throw new Failure("<" + r + ">: not a local address and no rule relays it — nothing was queued");
            }
        }

        Spool spool = new Spool(DataDir.path());
        String id;
        try (Spool.Incoming in = spool.receive()) {
            OutputStream out = in.stream();
            StringBuilder added = new StringBuilder();
            added.append("Received: from local user ").append(user).append("\r\n\tby ").append(config.hostname())
                    .append(" (Mailwright) with local id ").append(in.id()).append(";\r\n\t").append(RFC5322.format(Instant.now())).append("\r\n");
            if (headers.getHeader("From") == null) {
                added.append("From: ").append(fullName == null ? sender : new InternetAddress(sender, fullName, "UTF-8").toString())
                        .append("\r\n");
            }
            if (headers.getHeader("Date") == null) added.append("Date: ").append(RFC5322.format(Instant.now())).append("\r\n");
            if (headers.getHeader("Message-ID") == null) {
                added.append("Message-ID: <").append(in.id()).append('.').append(UUID.randomUUID()).append('@').append(config.hostname()).append(">\r\n");
            }
            out.write(added.toString().getBytes(StandardCharsets.UTF_8));
            out.write(fromHeaders ? withoutBcc(wire, headerEnd) : java.util.Arrays.copyOf(wire, headerEnd));
            out.write(wire, headerEnd, wire.length - headerEnd);
            in.commit(sender, routed, Instant.now());
            id = in.id();
        }
        ControlClient engine = new ControlClient(DataDir.path());
        if (engine.engineRunning()) {
            engine.adopt(id);
        } else {
            System.err.println("mailwright: queued as " + id + "; the engine is not running, it will deliver when started");
        }
        return 0;
    }

    static String qualify(String address, Config config) {
        String a = address.strip();
        if (a.startsWith("<") && a.endsWith(">")) a = a.substring(1, a.length() - 1);
        return a.contains("@") ? a : a + "@" + config.primaryDomain();
    }

    static List<String> addresses(String header, Config config) {
        List<String> out = new ArrayList<>();
        try {
            for (InternetAddress a : InternetAddress.parseHeader(header, false)) {
                if (a.getAddress() != null && !a.getAddress().isBlank()) out.add(qualify(a.getAddress(), config));
            }
        } catch (AddressException e) {
            throw new Failure("cannot read the address \"" + header + "\": " + e.getMessage());
        }
        return out;
    }

    private byte[] readMessage(InputStream in, long max) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            line.write(c);
            if (c == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                if (!ignoreDots && (s.equals(".\n") || s.equals(".\r\n"))) break;
                line.writeTo(buf);
                line.reset();
                if (buf.size() > max) throw new Failure("the message is larger than max_message_size (" + max + " bytes) — nothing was queued");
            }
        }
        line.writeTo(buf);
        return buf.toByteArray();
    }

    static byte[] toCrlf(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 40 + 2);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\n' && (i == 0 || raw[i - 1] != '\r')) out.write('\r');
            if (b == '\r' && (i + 1 >= raw.length || raw[i + 1] != '\n')) {
                out.write('\r');
                out.write('\n');
                continue;
            }
            out.write(b);
        }
        if (raw.length > 0 && raw[raw.length - 1] != '\n') {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Length of the header block including the empty line, or the whole text when there is no body. */
    static int headerEnd(byte[] wire) {
        if (wire.length >= 2 && wire[0] == '\r' && wire[1] == '\n') return 0;
        for (int i = 2; i + 1 < wire.length; i++) {
            if (wire[i] == '\r' && wire[i + 1] == '\n' && wire[i - 2] == '\r' && wire[i - 1] == '\n') return i;
        }
        return wire.length;
    }

    static byte[] withoutBcc(byte[] wire, int headerEnd) {
        String head = new String(wire, 0, headerEnd, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        boolean skipping = false;
        for (String l : head.split("(?<=\r\n)")) {
            if (!l.startsWith(" ") && !l.startsWith("\t")) skipping = l.regionMatches(true, 0, "Bcc:", 0, 4);
            if (!skipping) out.append(l);
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
