package org.mailwright.smtp;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import org.mailwright.log.Printable;
import org.mailwright.lookup.Recipients;
import org.mailwright.mail.Addresses;

/**
 * On submission the header {@code From:} (and {@code Sender:}) obey the same rule as the envelope sender:
 * a user sends only as an address of their own (RFC 6409 §4.3 lets the MSA enforce it). Receivers judge a
 * message by its header From (DMARC aligns on it), so a check of the envelope alone would let any user sign
 * mail "from" any other user of our domains.
 */
final class HeaderFrom {
    private HeaderFrom() {}

    /** Why the header may not be sent by {@code user}, as a reply; null when it may. */
    static String problem(DataReader.Fields fields, String user, Recipients recipients) {
        if (fields.tooLong()) return "550 5.7.1 The From: or Sender: header is too long to check; nothing was queued";
        for (String field : List.of("from", "sender")) {
            for (String value : fields.values(field)) {
                List<String> addresses;
                try {
                    addresses = addresses(value);
                } catch (AddressException e) {
                    return "550 5.7.1 Cannot read the " + label(field) + " header (" + e.getMessage() + "); nothing was queued";
                }
                if (addresses.isEmpty() && field.equals("from")) {
                    return "550 5.7.1 The From: header names no address; nothing was queued";
                }
                for (String a : addresses) {
                    if (!recipients.mayUseSender(user, Addresses.normalize(a))) {
                        return "550 5.7.1 " + label(field) + " <" + Printable.escape(a) + "> is not an address of user "
                                + user + "; nothing was queued";
                    }
                }
            }
        }
        return null;
    }

    private static String label(String field) {
        return field.equals("from") ? "From:" : "Sender:";
    }

    /** The mailbox addresses of a header value, group members included (RFC 5322 §3.4). */
    static List<String> addresses(String value) throws AddressException {
        List<String> out = new ArrayList<>();
        for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
            if (a.isGroup()) {
                for (InternetAddress m : a.getGroup(false)) out.add(m.getAddress());
            } else if (a.getAddress() != null && !a.getAddress().isBlank()) {
                out.add(a.getAddress());
            }
        }
        return out;
    }
}
