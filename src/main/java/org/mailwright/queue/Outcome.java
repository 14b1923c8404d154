package org.mailwright.queue;

/**
 * What one delivery attempt did for one recipient, locally or remote: delivered, failed for now (retried on the
 * schedule), or failed for good (bounced at once). The one place where an SMTP reply code becomes one of these.
 */
public enum Outcome {
    OK("Ok"), TEMPFAIL("TempFail"), PERMFAIL("PermFail");

    private final String word;

    Outcome(String word) {
        this.word = word;
    }

    /** The maillog's {@code result=} word. */
    public String word() {
        return word;
    }

    /**
     * A reply that did not accept (RFC 5321 §4.2.1): 5yz fails for good; 4yz, and anything else unexpected, is
     * tried again.
     */
    public static Outcome ofRefusal(int code) {
        return code >= 500 ? PERMFAIL : TEMPFAIL;
    }

    /** {@link #ofRefusal(int)} for a reply quoted as text ({@code "550 5.1.2 ..."}); no code: tried again. */
    public static Outcome ofRefusal(String reply) {
        boolean coded = reply.length() >= 3 && reply.chars().limit(3).allMatch(c -> c >= '0' && c <= '9');
        return coded ? ofRefusal(Integer.parseInt(reply.substring(0, 3))) : TEMPFAIL;
    }
}
