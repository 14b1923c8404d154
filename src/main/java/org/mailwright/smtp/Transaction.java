package org.mailwright.smtp;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.mailwright.queue.Spool;
import org.subethamail.smtp.MessageHandler;

/**
 * One mail transaction (MAIL, RCPT…, DATA). Kept as the library's MessageHandler so that RSET, EHLO and
 * STARTTLS reset it; the commands of this package fill it in.
 */
final class Transaction implements MessageHandler {
    String from = "";
    /** The addresses the client named (RCPT TO), each once. */
    final List<String> named = new ArrayList<>();
    /** The envelopes to queue: what routing made of them (aliases expanded, one per mailbox or outside address). */
    final List<Spool.Recipient> recipients = new ArrayList<>();
    long declaredSize;

    @Override
    public void from(String from) {
        this.from = from;
    }

    @Override
    public void recipient(String recipient) {
        // filled in by RcptCommand with the routing decision
    }

    @Override
    public String data(InputStream data) {
        throw new IllegalStateException("DATA is handled by DataCommand");
    }

    @Override
    public void done() {
        // nothing held open between commands
    }
}
