package org.mailwright.queue;

import java.time.Instant;

/**
 * One recipient of one queued message: what OpenSMTPD calls an envelope. Immutable; every change
 * of state is a new envelope written to disk before it takes effect.
 *
 * @param id          envelope id: the message id and eight more hex digits
 * @param messageId   the spool message it belongs to
 * @param from        envelope sender, empty for bounces ({@code MAIL FROM:<>})
 * @param to          recipient address
 * @param localUser   the local user for {@code deliver}, empty for relayed recipients
 * @param action      deliver (local mailbox) or relay (outbound)
 * @param created     when the message was accepted
 * @param attempts    delivery attempts so far
 * @param nextAttempt when to try next
 * @param lastError   the last temporary failure, empty when none
 * @param mboxOffset  mbox length before an append in progress, -1 otherwise (crash recovery)
 * @param folder      the mailbox folder for {@code deliver}: empty for the inbox, {@code Junk} for quarantined mail
 * @param checks      what the receive checks found, as the maillog writes it ({@code spf=pass dkim=none dmarc=pass}),
 *                    empty when the message was not checked (submission, local mail)
 */
public record Envelope(String id, String messageId, String from, String to, String localUser, Action action,
                       Instant created, int attempts, Instant nextAttempt, String lastError, long mboxOffset,
                       String folder, String checks) {

    /** Envelopes written before folders and checks existed read as inbox, unchecked. */
    public Envelope {
        folder = folder == null ? "" : folder;
        checks = checks == null ? "" : checks;
    }

    public enum Action { DELIVER, RELAY }

    public boolean isBounce() {
        return from.isEmpty();
    }

    public Envelope retried(Instant next, String error) {
        return new Envelope(id, messageId, from, to, localUser, action, created, attempts + 1, next, error, -1, folder, checks);
    }

    public Envelope withNextAttempt(Instant next) {
        return new Envelope(id, messageId, from, to, localUser, action, created, attempts, next, lastError, mboxOffset, folder, checks);
    }

    public Envelope withMboxOffset(long offset) {
        return new Envelope(id, messageId, from, to, localUser, action, created, attempts, nextAttempt, lastError, offset, folder, checks);
    }
}
