package org.mailwright.queue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwright.log.Printable;

/**
 * Delivery status notifications (RFC 3464): a {@code multipart/report} from {@code <>}, a human-readable part
 * naming the recipient and the remote reply, the machine-readable status, and the original headers.
 * Addresses and replies come from outside: they are written with {@link Printable#escape}, so that a CR or LF in
 * one cannot add lines (header fields, status fields) of its own to the report.
 */
public final class Bounces {
    private static final Pattern STATUS = Pattern.compile("\\b([245]\\.\\d{1,3}\\.\\d{1,3})\\b");
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final String hostname;

    public Bounces(String hostname) {
        this.hostname = hostname;
    }

    /** A failed recipient: the envelope, the reply that failed it, the remote host if any. */
    public record Failure(Envelope envelope, String reply, String remoteMta) {}

    public String hostname() {
        return hostname;
    }

    /** Writes the report for failures of one message to {@code sender}. */
    public void write(OutputStream out, String sender, List<Failure> failures, String originalHeaders, Instant now)
            throws IOException {
        String boundary = "=_mailwright_" + UUID.randomUUID();
        StringBuilder b = new StringBuilder();
        b.append("From: Mail Delivery System <MAILER-DAEMON@").append(hostname).append(">\r\n");
        b.append("To: <").append(Printable.escape(sender)).append(">\r\n");
        b.append("Subject: Undelivered Mail Returned to Sender\r\n");
        b.append("Date: ").append(RFC5322.format(now)).append("\r\n");
        b.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(hostname).append(">\r\n");
        b.append("Auto-Submitted: auto-replied\r\n");
        b.append("MIME-Version: 1.0\r\n");
        b.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"").append(boundary).append("\"\r\n");
        b.append("\r\n");
        b.append("This is a MIME-encapsulated message.\r\n\r\n");
        b.append("--").append(boundary).append("\r\n");
        b.append("Content-Type: text/plain; charset=utf-8\r\n");
        b.append("Content-Description: Notification\r\n\r\n");
        b.append("This is the mail system at host ").append(hostname).append(".\r\n\r\n");
        b.append("Your message could not be delivered to ")
                .append(failures.size() == 1 ? "one recipient" : failures.size() + " recipients")
                .append(". It has been returned to you; nothing more will be tried.\r\n\r\n");
        for (Failure f : failures) {
            b.append("<").append(Printable.escape(f.envelope().to())).append(">: ");
            if (f.remoteMta() != null && !f.remoteMta().isEmpty()) {
                b.append("host ").append(Printable.escape(f.remoteMta())).append(" said: ");
            }
            b.append(Printable.escape(f.reply())).append("\r\n\r\n");
        }
        b.append("--").append(boundary).append("\r\n");
        b.append("Content-Type: message/delivery-status\r\n");
        b.append("Content-Description: Delivery report\r\n\r\n");
        b.append("Reporting-MTA: dns; ").append(hostname).append("\r\n");
        b.append("Arrival-Date: ").append(RFC5322.format(failures.get(0).envelope().created())).append("\r\n");
        for (Failure f : failures) {
            b.append("\r\n");
            b.append("Final-Recipient: rfc822; ").append(Printable.escape(f.envelope().to())).append("\r\n");
            b.append("Action: failed\r\n");
            b.append("Status: ").append(status(f.reply())).append("\r\n");
            if (f.remoteMta() != null && !f.remoteMta().isEmpty()) {
                b.append("Remote-MTA: dns; ").append(Printable.escape(f.remoteMta())).append("\r\n");
            }
            b.append("Diagnostic-Code: smtp; ").append(Printable.escape(f.reply().replaceAll("[\\r\\n]+", " "))).append("\r\n");
        }
        b.append("\r\n--").append(boundary).append("\r\n");
        b.append("Content-Type: text/rfc822-headers\r\n");
        b.append("Content-Description: Undelivered message headers\r\n\r\n");
        b.append(originalHeaders.endsWith("\r\n") ? originalHeaders : originalHeaders + "\r\n");
        b.append("\r\n--").append(boundary).append("--\r\n");
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The enhanced status code (RFC 3463) in a reply, or a generic one by class. */
    static String status(String reply) {
        Matcher m = STATUS.matcher(reply);
        if (m.find()) return "5" + m.group(1).substring(1);
        return "5.0.0";
    }
}
