package org.mailwright.smtp;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringTokenizer;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandHandler;

/**
 * Unknown verbs get our answer, {@code 500 5.5.2 Command unrecognized}, and count as failed commands (Postfix
 * counts them towards smtpd_hard_error_limit, so a client cannot probe for ever). SubEthaSMTP answers them
 * inside its final CommandHandler ("500 Error: command not implemented", no enhanced code) and offers no hook;
 * its command table is the only one, so we give it a table that never says "unknown". Checked against 7.2.0:
 * the handler looks up the first four letters, then the whole verb, in a field named {@code commandMap}.
 * (Lines shorter than four characters still get the library's "500 Error: bad syntax" before any lookup.)
 */
final class UnknownVerbs {
    private UnknownVerbs() {}

    static void install(CommandHandler handler, Command unknown) {
        try {
            Field f = CommandHandler.class.getDeclaredField("commandMap");
            f.setAccessible(true);
            @SuppressWarnings("unchecked")
            Map<String, Command> known = (Map<String, Command>) f.get(handler);
            f.set(handler, new Table(known, unknown));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("SubEthaSMTP's CommandHandler changed (no commandMap field); "
                    + "check UnknownVerbs against the new version", e);
        }
    }

    /** Known keys give their command; any other key gives {@link #dispatch}, which looks at the whole verb. */
    private static final class Table extends HashMap<String, Command> {
        private final transient Command dispatch;

        Table(Map<String, Command> known, Command unknown) {
            super(known);
            this.dispatch = new BaseCommand("UNKNOWN", "Answers verbs we do not know") {
                @Override
                public void execute(String line, org.subethamail.smtp.server.Session s)
                        throws java.io.IOException, org.subethamail.smtp.DropConnectionException {
                    StringTokenizer t = new StringTokenizer(line);
                    Command c = t.hasMoreTokens() ? Table.super.get(t.nextToken().toUpperCase(Locale.ENGLISH)) : null;
                    (c != null ? c : unknown).execute(line, s);
                }
            };
        }

        @Override
        public Command get(Object key) {
            Command c = super.get(key);
            return c != null ? c : dispatch;
        }
    }
}
