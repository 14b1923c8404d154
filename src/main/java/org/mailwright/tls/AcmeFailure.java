package org.mailwright.tls;

import java.io.IOException;
import java.util.Locale;

/** An ACME order that did not end in a certificate, with a message that says what happened and what to do. */
public final class AcmeFailure extends IOException {

    /** Why, for the maillog ({@code reason=}) and for the GUI to pick its advice. */
    public enum Reason {
        /** The ACME server could not be reached (down, wrong URL, network). */
        SERVER_UNREACHABLE,
        /** The ACME server's own HTTPS certificate is not trusted here. */
        SERVER_UNTRUSTED,
        /** The CA could not connect to our challenge responder (port 80 closed or forwarded elsewhere). */
        CHALLENGE_UNREACHABLE,
        /** The name resolves to an address that is not this host. */
        NAME_ELSEWHERE,
        /** The name does not resolve at all. */
        NAME_UNRESOLVED,
        /** Something else answered on port 80 (another web server, another machine). */
        WRONG_ANSWER,
        RATE_LIMITED,
        EMAIL_REFUSED,
        /** The CA refused for another reason (policy, CAA, terms of service…). */
        REFUSED,
        /** A local problem: port 80 taken or privileged, files, keys. */
        LOCAL;

        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public AcmeFailure(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public AcmeFailure(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
