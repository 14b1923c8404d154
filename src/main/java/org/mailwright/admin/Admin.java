package org.mailwright.admin;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.mailwright.control.QueueControl;
import org.mailwright.dns.DnsRecords;

/**
 * Every administrative operation once, whatever the engine: {@link LocalAdmin} works on a data directory on this
 * machine (telling a running engine through its control socket where it must be told), {@link RemoteAdmin} runs the
 * same operations on a deployed engine over SSH. {@code cli} and {@code ui} call this, never the roles below it.
 *
 * <p>Failures are {@link AdminException}s whose message says what to do. Results are records that Jackson writes as
 * the commands' {@code --json} output, which is also how {@link RemoteAdmin} reads them back.
 */
public interface Admin extends AutoCloseable {

    /** Where the operations act: the data directory, or {@code USER@HOST:DIR}. */
    String where();

    // users (DATA/passwd; a running engine rereads it on change, so a new user can log in at once)

    List<Results.User> users();

    void userAdd(String name, String password);

    void userPasswd(String name, String password);

    void userDelete(String name);

    // aliases (DATA/aliases, an OpenSMTPD aliases table)

    List<Results.Alias> aliases();

    /** Adds {@code targets} to the alias {@code name}, making it when there is none; the file keeps its comments. */
    void aliasAdd(String name, List<String> targets);

    void aliasDelete(String name);

    // TLS (a running engine picks up new files within seconds: CertificateRenewal watches them)

    Results.TlsStatus tlsStatus();

    Results.TlsInstalled tlsSelfSigned(int days);

    /** With every check of {@code tls import} (key matches, chain order, names, expiry); remote: the files are sent. */
    Results.TlsInstalled tlsImport(Path cert, Path key);

    Results.TlsInstalled tlsAcme(Results.AcmeOptions options, Consumer<String> progress);

    // DKIM, DNS, self-test

    Results.DkimKeyInfo dkimKeygen(String selector, String type);

    /** The keys in DATA/dkim (outgoing mail is signed with each) and the TXT records that publish them. */
    List<Results.DkimKeyInfo> dkimKeys();

    /** Removes DATA/dkim/SELECTOR.key: mail is no longer signed with it (its DNS record can go once mail in flight is read). */
    void dkimDelete(String selector);

    /** The records as a zone file ({@code zone}) or JSON ({@code json}). */
    String dnsRecords(String format);

    /** The records to publish ({@code dns records --format json} read back): the same locally and remotely. */
    default DnsRecords dnsRecordSet() {
        try {
            return DnsRecords.readJson(dnsRecords("json"));
        } catch (IOException e) {
            throw new AdminException("the DNS records on " + where() + " could not be read: " + e.getMessage()
                    + " — deploy this version there");
        }
    }

    Results.DnsCheckReport dnsCheck(String resolver);

    Results.SelfTestReport check(Results.CheckOptions options);

    // sending, queue, status, maillog

    /**
     * Queues {@code message} (header and body) for {@code recipients} as {@code mailwright sendmail} does, from the
     * user the engine runs as; returns its queue id, whose story {@link #messageLog} then tells.
     */
    String send(List<String> recipients, byte[] message);

    /** Runs {@code action} on the queue: the running engine's, or the spool itself while it is stopped. */
    <T> T queue(QueueAction<T> action);

    interface QueueAction<T> {
        T apply(QueueControl q) throws IOException;
    }

    Results.Status status();

    /** Maillog lines at or after {@code since} (null: all kept), the rotated files first. */
    List<String> log(Instant since);

    /**
     * The lines of one message at or after {@code since} ({@link org.mailwright.log.MaillogEntry#ofMessage}): its
     * envelopes' attempts and results, for a queue entry's details.
     */
    default List<String> messageLog(String id, Instant since) {
        return log(since).stream().filter(line -> org.mailwright.log.MaillogEntry.ofMessage(line, id)).toList();
    }

    /** Sends the lines at or after {@code since}, then every new line, until the returned handle is closed. */
    AutoCloseable followLog(Instant since, Consumer<String> lines);

    /** Checks mailwright.conf as the engine's start would; problems as {@code file:line: what — what to do}. */
    Results.ConfigCheck configCheck();

    /**
     * The effective value of a dotted key ({@code limits.max_recipients}), or of {@code listen} / {@code match} (the
     * listeners and rules as lists of {@link Results.Listener} / {@link Results.Rule} fields); unknown keys are an
     * {@link AdminException}.
     */
    Results.ConfigValue configGet(String key);

    /**
     * Every key's effective value (defaults included) and {@code listen} / {@code match}, as {@link #configGet} gives
     * them one by one — {@code config show}, like {@code postconf} without arguments: one round trip for a whole form.
     */
    java.util.Map<String, Object> configShow();

    /**
     * Changes one key in mailwright.conf like {@code postconf -e} (checked as at start, comments kept, atomic) and
     * tells a running engine, which applies it live or names what needs a restart.
     */
    Results.ConfigChange configSet(String key, String value);

    /**
     * Changes several keys as one edit: every value is checked, then mailwright.conf is written once (atomically,
     * comments and other keys kept) and a running engine is told once. A bad value changes nothing.
     * {@code listeners}, when not null, replace the {@code [[listen]]} blocks in the same edit.
     */
    default Results.ConfigChanges configSetAll(java.util.Map<String, String> values, List<Results.Listener> listeners) {
        return configSetAll(values, listeners, null);
    }

    /** As {@link #configSetAll(java.util.Map, List)}; {@code rules}, when not null, replace the {@code [[match]]} rules (in order). */
    Results.ConfigChanges configSetAll(java.util.Map<String, String> values, List<Results.Listener> listeners, List<Results.Rule> rules);

    /**
     * The login at the smarthost: {@code password} is written to the file {@code outbound.smarthost_password_file}
     * names (DATA/smarthost.password when none, mode 0600), and {@code outbound.smarthost_user} and that key set, in one
     * edit a running engine is told of. A blank {@code user} removes the login (the keys emptied, the file deleted).
     * The password is never logged nor passed on a command line.
     */
    Results.ConfigChanges smarthostLogin(String user, String password);

    @Override
    void close();
}
