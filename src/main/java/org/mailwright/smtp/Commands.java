package org.mailwright.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.mailwright.config.Config;
import org.mailwright.lookup.AuthThrottle;
import org.mailwright.mail.Addresses;
import org.mailwright.queue.Spool;
import org.mailwright.ruleset.Routing;
import org.mailwright.ruleset.Ruleset;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.AuthenticationHandlerFactory;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.Session;

/**
 * The SMTP commands as Mailwright answers them. They replace SubEthaSMTP's own where its behaviour is not
 * what other servers rely on: every reply carries an enhanced status code (RFC 2034),
 * EHLO offers STARTTLS only before TLS and AUTH only after, MAIL checks TLS/AUTH requirements and the
 * sender, RCPT runs the ruleset, BDAT is not offered.
 */
final class Commands {
    private Commands() {}

    static List<Command> all(Inbound in, Config.Listener listener) {
        return List.of(new Ehlo(in, listener), new Helo(in), new Mail(in, listener), new Rcpt(in, listener),
                new DataCommand(in, listener), new Auth(in, listener), new StartTls(in, listener),
                new Reply(in, "RSET", "Resets the transaction", "250 2.0.0 Ok", true),
                new Reply(in, "NOOP", "Does nothing", "250 2.0.0 Ok", false),
                new Reply(in, "VRFY", "Not offered", "252 2.1.5 Cannot verify the user; send mail and it will be tried", false),
                new Reply(in, "EXPN", "Not offered", "502 5.5.1 EXPN is not offered", false),
                new Reply(in, "BDAT", "Not offered", "502 5.5.1 BDAT (CHUNKING) is not offered; use DATA", false),
                new Reply(in, "HELP", "Lists commands", "214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT STARTTLS AUTH", false),
                new Quit(in));
    }

    static String ip(Session s) {
        InetAddress a = s.getRemoteAddress().getAddress();
        return a == null ? "unknown" : a.getHostAddress();
    }

    static Optional<String> user(Session s) {
        return s.getAuthenticationHandler().map(AuthenticationHandler::getIdentity).map(Object::toString);
    }

    /**
     * Every 4xx/5xx reply to a command goes through here, and counts: past {@code [limits] soft_error_limit}
     * failed commands in a session each further error reply is delayed, and past {@code hard_error_limit} the
     * session is closed instead (Postfix's smtpd_soft_error_limit / smtpd_hard_error_limit), so guessing
     * recipients or passwords one session at a time is slow and the maillog stays short.
     */
    static void failed(Inbound in, Session s, String command, String reply) throws IOException {
        OpenSessions.OpenSession open = in.sessions().get(s);
        int errors = open == null ? 0 : open.error();
        Config.Limits limits = in.config().limits();
        if (errors > limits.hardErrorLimit()) {
            in.log().event(s.getSessionId(), "smtp", "too-many-errors", "address", ip(s), "errors", errors - 1, "command", command);
            s.sendResponse("421 4.7.0 " + in.config().hostname() + " Too many errors; closing");
            close(in, s);
            return;
        }
        in.log().event(s.getSessionId(), "smtp", "failed-command", "command", command, "result", reply);
        if (errors > limits.softErrorLimit()) sleep(errorDelay(errors - limits.softErrorLimit()));
        s.sendResponse(reply);
    }

    /** The delay of the n-th error past the soft limit: 1 s, growing by 0.1 s per error, at most 5 s. */
    static Duration errorDelay(int n) {
        return Duration.ofMillis(Math.min(1000 + 100L * (n - 1), 5000));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String tlsDescription(Session s) {
        if (s.getSocket() instanceof SSLSocket ssl && ssl.getSession() != null) {
            return ssl.getSession().getProtocol() + " with cipher " + ssl.getSession().getCipherSuite();
        }
        return null;
    }

    /**
     * EHLO and HELO (RFC 5321 §4.1.1.1): the name the client gives, or null once a 501 is sent because it gave none
     * or one with a control or 8-bit character. A good name starts afresh: no mail transaction, this name.
     */
    static String helo(Inbound in, Session s, String verb, String line, String[] args) throws IOException {
        if (args.length < 2) {
            failed(in, s, verb, "501 5.5.4 Syntax: " + verb + " hostname");
            return null;
        }
        if (SmtpPaths.unprintable(line)) {
            failed(in, s, verb, "501 5.5.4 Control or 8-bit character in the " + verb + " name; send a host name or an address literal");
            return null;
        }
        s.resetMailTransaction();
        s.setHelo(args[1]);
        return args[1];
    }

    static final class Ehlo extends BaseCommand {
        private final Inbound in;
        private final Config.Listener listener;

        Ehlo(Inbound in, Config.Listener listener) {
            super("EHLO", "Introduce yourself", "<hostname>");
            this.in = in;
            this.listener = listener;
        }

        @Override
        public void execute(String line, Session s) throws IOException {
            String name = helo(in, s, "EHLO", line, getArgs(line));
            if (name == null) return;
            StringBuilder r = new StringBuilder();
            r.append("250-").append(in.config().hostname()).append(" Hello ").append(name).append(" [").append(ip(s)).append("]\r\n");
            r.append("250-PIPELINING\r\n");
            r.append("250-SIZE ").append(in.config().delivery().maxMessageSize()).append("\r\n");
            r.append("250-8BITMIME\r\n");
            if (!s.isTLSStarted() && listener.usesTls() && listener.tls() != Config.ListenerTls.IMPLICIT && in.tls() != null) {
                r.append("250-STARTTLS\r\n");
            }
            if (s.isTLSStarted() && listener.auth() != Config.ListenerAuth.NONE) {
                r.append("250-AUTH PLAIN LOGIN\r\n");
            }
            r.append("250 ENHANCEDSTATUSCODES");
            s.sendResponse(r.toString());
        }
    }

    static final class Helo extends BaseCommand {
        private final Inbound in;

        Helo(Inbound in) {
            super("HELO", "Introduce yourself", "<hostname>");
            this.in = in;
        }

        @Override
        public void execute(String line, Session s) throws IOException {
            if (helo(in, s, "HELO", line, getArgs(line)) == null) return;
            s.sendResponse("250 " + in.config().hostname());
        }
    }

    static final class Mail extends BaseCommand {
        private final Inbound in;
        private final Config.Listener listener;

        Mail(Inbound in, Config.Listener listener) {
            super("MAIL", "Starts a transaction", "FROM:<sender> [SIZE=n] [BODY=8BITMIME]");
            this.in = in;
            this.listener = listener;
        }

        @Override
        public void execute(String line, Session s) throws IOException {
            if (s.getHelo().isEmpty()) {
                failed(in, s, line, "503 5.5.1 Send EHLO or HELO first");
                return;
            }
            if (listener.tls() == Config.ListenerTls.REQUIRE && !s.isTLSStarted()) {
                failed(in, s, line, "530 5.7.0 Must issue a STARTTLS command first");
                return;
            }
            if (listener.auth() == Config.ListenerAuth.REQUIRE && !s.isAuthenticated()) {
                failed(in, s, line, "530 5.7.0 Authentication required");
                return;
            }
            if (s.isMailTransactionInProgress()) {
                failed(in, s, line, "503 5.5.1 Sender already specified");
                return;
            }
            SmtpPaths.PathArgs p = SmtpPaths.parse(getArgPredicate(line), "FROM:");
            if (p == null) {
                failed(in, s, line, "501 5.5.4 Syntax: MAIL FROM:<address>");
                return;
            }
            String from = p.address();
            if (SmtpPaths.unprintable(line)) {
                failed(in, s, "MAIL", "553 5.1.7 Control or 8-bit character in the sender address or its parameters");
                return;
            }
            if (!from.isEmpty()) {
                String problem = SmtpPaths.problem(from);
                if (problem != null) {
                    failed(in, s, line, problem);
                    return;
                }
                from = Addresses.normalize(from);
            }
            long size = 0;
            for (String param : p.params().isEmpty() ? new String[0] : p.params().split("\\s+")) {
                String upper = param.toUpperCase(Locale.ROOT);
                if (upper.startsWith("SIZE=")) {
                    String n = param.substring(5);
                    if (!n.matches("\\d{1,18}")) {
                        failed(in, s, line, "501 5.5.4 SIZE needs a number of bytes");
                        return;
                    }
                    size = Long.parseLong(n);
                    if (size > in.config().delivery().maxMessageSize()) {
                        failed(in, s, line, "552 5.3.4 Message size exceeds fixed limit of " + in.config().delivery().maxMessageSize() + " bytes");
                        return;
                    }
                } else if (upper.equals("BODY=8BITMIME") || upper.equals("BODY=7BIT") || upper.startsWith("AUTH=")) {
                    // accepted as offered; AUTH= is informational (RFC 4954 §5)
                } else {
                    failed(in, s, line, "555 5.5.4 Unsupported MAIL parameter " + param);
                    return;
                }
            }
            Optional<String> user = user(s);
            if (user.isPresent() && !in.recipients().mayUseSender(user.get(), from)) {
                failed(in, s, line, "553 5.7.1 Sender address <" + from + "> rejected: not owned by user " + user.get());
                return;
            }
            s.startMailTransaction();
            Transaction t = (Transaction) s.getMessageHandler();
            t.from(from);
            t.declaredSize = size;
            s.sendResponse("250 2.1.0 Ok");
        }
    }

    static final class Rcpt extends BaseCommand {
        private final Inbound in;
        private final Config.Listener listener;

        Rcpt(Inbound in, Config.Listener listener) {
            super("RCPT", "Names a recipient", "TO:<recipient>");
            this.in = in;
            this.listener = listener;
        }

        @Override
        public void execute(String line, Session s) throws IOException {
            if (!s.isMailTransactionInProgress()) {
                failed(in, s, line, "503 5.5.1 Need MAIL before RCPT");
                return;
            }
            Transaction t = (Transaction) s.getMessageHandler();
            if (t.named.size() >= in.config().limits().maxRecipients()) {
                failed(in, s, line, "452 4.5.3 Too many recipients; send the rest in another transaction");
                return;
            }
            SmtpPaths.PathArgs p = SmtpPaths.parse(getArgPredicate(line), "TO:");
            if (p == null) {
                failed(in, s, line, "501 5.5.4 Syntax: RCPT TO:<address>");
                return;
            }
            if (SmtpPaths.unprintable(line)) {
                failed(in, s, "RCPT", "501 5.5.4 Control or 8-bit character in the recipient address or its parameters");
                return;
            }
            if (!p.params().isEmpty()) {
                failed(in, s, line, "555 5.5.4 Unsupported RCPT parameter " + p.params());
                return;
            }
            String to = p.address();
            if (to.equalsIgnoreCase("postmaster")) to = "postmaster@" + in.config().primaryDomain(); // RFC 5321 §4.5.1
            String problem = SmtpPaths.problem(to);
            if (problem != null) {
                failed(in, s, line, problem);
                return;
            }
            to = Addresses.normalize(to);
            String named = to;
            if (t.named.stream().anyMatch(named::equalsIgnoreCase)) {
                s.sendResponse("250 2.1.5 Ok (already a recipient; one copy is delivered)");
                return;
            }
            Ruleset.Origin origin = new Ruleset.Origin(s.getRemoteAddress().getAddress(), s.isAuthenticated(), false);
            Routing.Route route;
            try {
                route = in.routing().route(origin, to, t.from);
            } catch (IOException e) {
                in.log().event(s.getSessionId(), "smtp", "lookup-error", "to", "<" + to + ">", "error", String.valueOf(e.getMessage()));
                failed(in, s, line, "451 4.3.0 <" + to + ">: Temporary lookup failure; try again later");
                return;
            }
            if (route instanceof Routing.Route.Reject r) {
                if (r.why() == Routing.Route.Why.LOOP) {
                    in.log().event(s.getSessionId(), "smtp", "alias-loop", "to", "<" + to + ">", "reason", r.reason());
                }
                failed(in, s, line, r.reply());
                return;
            }
            Routing.Route.Accept accept = (Routing.Route.Accept) route;
            if (accept.recipients().size() > 1 || !accept.recipients().get(0).to().equals(to)) {
                in.log().event(s.getSessionId(), "smtp", "expand", "to", "<" + to + ">", "via", accept.reason(),
                        "into", accept.recipients().stream().map(r -> r.localUser().isEmpty() ? "<" + r.to() + ">" : r.localUser())
                                .collect(java.util.stream.Collectors.joining(",")));
            }
            if (Greylisting.deferred(in, listener, s, t.from, to)) return;
            t.named.add(to);
            for (Spool.Recipient r : accept.recipients()) {
                if (!t.recipients.contains(r)) t.recipients.add(r); // two aliases reaching one outside address: one copy
            }
            s.addRecipient(to);
            s.sendResponse("250 2.1.5 Ok");
        }
    }

    static final class Auth extends BaseCommand {
        private final Inbound in;
        private final Config.Listener listener;
        private final AuthenticationHandlerFactory mechanisms;

        Auth(Inbound in, Config.Listener listener) {
            super("AUTH", "Logs in", "PLAIN|LOGIN [initial-response]");
            this.in = in;
            this.listener = listener;
            this.mechanisms = new org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory((user, password, ctx) -> {
                PasswordCheck.user.set(user);
                try {
                    if (!in.passwd().verify(user, password)) throw new org.subethamail.smtp.auth.LoginFailedException();
                } catch (IOException e) {
                    throw new org.subethamail.smtp.auth.LoginFailedException("passwd unreadable");
                }
            });
        }

        @Override
        public void execute(String line, Session s) throws IOException {
            if (listener.auth() == Config.ListenerAuth.NONE) {
                failed(in, s, "AUTH", "502 5.5.1 AUTH is not offered on this port");
                return;
            }
            if (!s.isTLSStarted()) {
                failed(in, s, "AUTH", "538 5.7.11 Encryption required for requested authentication mechanism; use STARTTLS first");
                return;
            }
            if (s.isAuthenticated()) {
                failed(in, s, "AUTH", "503 5.5.1 Already authenticated");
                return;
            }
            if (s.isMailTransactionInProgress()) {
                failed(in, s, "AUTH", "503 5.5.1 AUTH not allowed during a mail transaction");
                return;
            }
            String[] args = getArgs(line);
            if (args.length < 2) {
                failed(in, s, "AUTH", "501 5.5.4 Syntax: AUTH mechanism [initial-response]");
                return;
            }
            String mech = args[1].toUpperCase(Locale.ROOT);
            if (!mechanisms.getAuthenticationMechanisms().contains(mech)) {
                failed(in, s, "AUTH", "504 5.5.4 Unrecognized authentication type; use PLAIN or LOGIN");
                return;
            }
            InetAddress address = s.getRemoteAddress().getAddress();
            // Reserved before the password is checked: parallel guesses count while in flight (AuthThrottle).
            AuthThrottle.Attempt attempt = in.throttle().begin(address);
            if (attempt == null) {
                Instant locked = in.throttle().lockedUntil(address);
                in.log().event(s.getSessionId(), "smtp", "authentication", "result", "locked-out", "address", address.getHostAddress(),
                        "until", locked == null ? "-" : DateTimeFormatter.ISO_INSTANT.format(locked));
                failed(in, s, "AUTH", "454 4.7.0 Too many failed logins from your address; try again "
                        + (locked == null ? "later" : "after " + DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(locked)));
                return;
            }
            AuthenticationHandler handler = mechanisms.create();
            PasswordCheck.user.remove();
            try {
                Optional<String> challenge = handler.auth(line, s);
                while (challenge.isPresent()) {
                    s.sendResponse(challenge.get());
                    String answer = s.getReader().readLine();
                    if (answer == null) return;
                    if (answer.trim().equals("*")) {
                        failed(in, s, "AUTH", "501 5.0.0 Authentication cancelled");
                        return;
                    }
                    challenge = handler.auth(answer, s);
                }
                attempt.succeeded();
            } catch (RejectException e) {
                String user = Optional.ofNullable(PasswordCheck.user.get()).orElse("");
                if (e.getCode() != 535) {
                    failed(in, s, "AUTH", e.getCode() + " 5.5.2 " + e.getMessage());
                    return;
                }
                Duration wait = attempt.failed();
                in.log().event(s.getSessionId(), "smtp", "authentication", "user", user, "result", "fail",
                        "address", address.getHostAddress(), "failures", in.throttle().failures(address));
                sleep(wait);
                failed(in, s, "AUTH", "535 5.7.8 Authentication credentials invalid");
                return;
            } finally {
                PasswordCheck.user.remove();
                attempt.abandoned(); // no-op once failed() or succeeded() ended it
            }
            s.setAuthenticationHandler(handler);
            in.log().event(s.getSessionId(), "smtp", "authentication", "user", handler.getIdentity(), "result", "ok");
            s.sendResponse("235 2.7.0 Authentication successful");
        }
    }

    /** The user name a PLAIN/LOGIN exchange tried, for the log line of a failure (never the password). */
    static final class PasswordCheck {
        static final ThreadLocal<String> user = new ThreadLocal<>();

        private PasswordCheck() {}
    }

    static final class StartTls extends BaseCommand {
        private final Inbound in;
        private final Config.Listener listener;

        StartTls(Inbound in, Config.Listener listener) {
            super("STARTTLS", "Starts TLS (RFC 3207)");
            this.in = in;
            this.listener = listener;
        }

        @Override
        public void execute(String line, Session s) throws IOException {
            if (!line.trim().equalsIgnoreCase("STARTTLS")) {
                failed(in, s, "STARTTLS", "501 5.5.4 Syntax: STARTTLS (no parameters)");
                return;
            }
            if (in.tls() == null || !listener.usesTls()) {
                failed(in, s, "STARTTLS", "454 4.7.0 TLS not available");
                return;
            }
            if (s.isTLSStarted()) {
                failed(in, s, "STARTTLS", "503 5.5.1 TLS already active");
                return;
            }
            s.sendResponse("220 2.0.0 Ready to start TLS");
            SSLSocket ssl;
            try {
                ssl = in.tls().wrap(s.getSocket());
                ssl.startHandshake();
            } catch (IOException e) {
                in.log().event(s.getSessionId(), "smtp", "tls-failed", "address", ip(s), "error", e.getMessage());
                close(in, s);
                return;
            }
            // A new socket means a new input buffer: anything pipelined after STARTTLS in clear is dropped (RFC 3207 §4.2).
            s.setSocket(ssl);
            s.resetSmtpProtocol();
            s.setTlsStarted(true);
            in.log().event(s.getSessionId(), "smtp", "tls", "version", ssl.getSession().getProtocol(),
                    "cipher", ssl.getSession().getCipherSuite());
        }
    }

    static final class Reply extends BaseCommand {
        private final Inbound in;
        private final String reply;
        private final boolean reset;

        Reply(Inbound in, String verb, String help, String reply, boolean reset) {
            super(verb, help);
            this.in = in;
            this.reply = reply;
            this.reset = reset;
        }

        @Override
        public void execute(String line, Session s) throws IOException {
            if (reset) s.resetMailTransaction();
            if (reply.startsWith("4") || reply.startsWith("5")) {
                failed(in, s, getName(), reply);
            } else {
                s.sendResponse(reply);
            }
        }
    }

    /** A verb we do not know (RFC 5321 §4.2.4: 500 for an unrecognized command); see {@link UnknownVerbs}. */
    static final class Unrecognized extends BaseCommand {
        private final Inbound in;

        Unrecognized(Inbound in) {
            super("UNRECOGNIZED", "Answers verbs we do not know");
            this.in = in;
        }

        @Override
        public void execute(String line, Session s) throws IOException {
            String verb = line.strip().split("\\s+", 2)[0];
            failed(in, s, verb.length() > 32 ? verb.substring(0, 32) + "…" : verb, "500 5.5.2 Command unrecognized");
        }
    }

    static final class Quit extends BaseCommand {
        private final Inbound in;

        Quit(Inbound in) {
            super("QUIT", "Ends the session");
            this.in = in;
        }

        @Override
        public void execute(String line, Session s) throws IOException {
            s.sendResponse("221 2.0.0 Bye");
            close(in, s);
        }
    }

    /**
     * Ends a session from its own side: counted out first, then closed, so that a client that saw the close and
     * connects again at once finds its slot free (onSessionEnd would count it out only a moment later).
     */
    static void close(Inbound in, Session s) {
        in.sessions().close(s);
        s.quit();
    }
}
