package org.mailwright.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mailwright.config.Config;
import org.mailwright.lookup.Aliases;
import org.mailwright.lookup.Passwd;

/**
 * The same setup as OpenBSD files, in the recipe's shape: {@code smtpd.conf} (with the {@code passwd}, {@code domains},
 * {@code sendas} and {@code aliases} tables it names), {@code acme-client.conf}, {@code httpd.conf} for the HTTP-01
 * challenge, and a README with the commands to run. Paths in the files are where OpenBSD keeps things
 * ({@code /etc/mail}, {@code /etc/ssl}); {@link Paths} can point them elsewhere (tests run Debian's smtpd on them).
 */
public final class OpenSmtpdExport {

    /** Where the exported files name their tables and certificates. */
    public record Paths(String etc, String ssl) {
        public static final Paths OPENBSD = new Paths("/etc/mail", "/etc/ssl");

        String table(String name) {
            return etc + "/" + name;
        }

        String cert(String host) {
            return ssl + "/" + host + ".fullchain.pem";
        }

        String key(String host) {
            return ssl + "/private/" + host + ".key";
        }
    }

    private OpenSmtpdExport() {}

    /** Writes everything into {@code out}; returns the files written. */
    public static List<Path> write(Config c, Path data, Path out, Paths paths) throws IOException {
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        List<String> users = users(data);
        boolean tls = c.tls().mode() != Config.TlsMode.NONE;

        written.add(text(out.resolve("smtpd.conf"), smtpdConf(c, users, paths), false));
        Path passwd = data.resolve("passwd");
        written.add(text(out.resolve("passwd"), Files.exists(passwd) ? Files.readString(passwd) : "", true));
        written.add(text(out.resolve("domains"), String.join("\n", localDomains(c)) + "\n", false));
        written.add(text(out.resolve("sendas"), sendAs(c, users), false));
        written.add(text(out.resolve("aliases"), aliases(c, users, data), false));
        written.add(text(out.resolve("acme-client.conf"), acmeClientConf(c, paths), false));
        written.add(text(out.resolve("httpd.conf"), httpdConf(c), false));
        written.add(text(out.resolve("README"), readme(c, paths), false));
        if (tls && Files.exists(c.tls().certPath(data)) && Files.exists(c.tls().keyPath(data))) {
            // The current certificate, so smtpd starts before acme-client has run once.
            written.add(copy(c.tls().certPath(data), out.resolve("ssl").resolve(c.hostname() + ".fullchain.pem"), false));
            written.add(copy(c.tls().keyPath(data), out.resolve("ssl").resolve("private").resolve(c.hostname() + ".key"), true));
        }
        return written;
    }

    static List<String> users(Path data) throws IOException {
        return Files.exists(data.resolve("passwd")) ? new Passwd(data).users() : List.of();
    }

    static Set<String> localDomains(Config c) {
        Set<String> d = new LinkedHashSet<>(c.domains());
        d.add(c.hostname());
        return d;
    }

    static String smtpdConf(Config c, List<String> users, Paths paths) {
        String host = c.hostname();
        boolean tls = c.tls().mode() != Config.TlsMode.NONE;
        boolean senderCheck = c.submission().senderCheck() && !users.isEmpty();
        StringBuilder b = new StringBuilder();
        b.append("# smtpd.conf for ").append(host).append(", exported by Mailwright. Check it with: smtpd -n\n\n");
        if (tls) {
            b.append("pki ").append(host).append(" cert \"").append(paths.cert(host)).append("\"\n");
            b.append("pki ").append(host).append(" key \"").append(paths.key(host)).append("\"\n\n");
        }
        b.append("table passwd file:").append(paths.table("passwd")).append('\n');
        b.append("table domains file:").append(paths.table("domains")).append('\n');
        b.append("table aliases file:").append(paths.table("aliases")).append('\n');
        // "senders" is a keyword of smtpd.conf and cannot name a table: user → addresses it may use after AUTH.
        if (senderCheck) b.append("table sendas file:").append(paths.table("sendas")).append('\n');
        b.append('\n');
        for (Config.Listener l : c.listeners()) {
            StringBuilder line = new StringBuilder("listen on ").append(listenAddress(l.address())).append(" port ").append(l.port());
            if (tls) {
                switch (l.tls()) {
                    case STARTTLS -> line.append(" tls pki ").append(host);
                    case REQUIRE -> line.append(" tls-require pki ").append(host);
                    case IMPLICIT -> line.append(" smtps pki ").append(host);
                    case NONE -> { }
                }
            }
            boolean auth = tls && l.auth() != Config.ListenerAuth.NONE && l.tls() != Config.ListenerTls.NONE;
            if (auth) {
                line.append(l.auth() == Config.ListenerAuth.REQUIRE ? " auth <passwd>" : " auth-optional <passwd>");
                if (senderCheck) line.append(" senders <sendas> masquerade");
            }
            line.append(" hostname ").append(host);
            b.append(line).append('\n');
        }
        b.append('\n');
        b.append(c.delivery().format() == Config.DeliveryFormat.MBOX
                ? "action \"local_mail\" mbox alias <aliases>\n"
                : "action \"local_mail\" maildir alias <aliases>\n");
        b.append(relayAction(c)).append("\n\n");
        b.append("# First match wins, as in Mailwright's [[match]] rules.\n");
        for (Config.MatchRule r : c.matches()) {
            b.append("match ").append(from(r.from().word())).append(' ').append(forWhat(r.forWhat().word())).append(' ')
                    .append(switch (r.action()) {
                        case DELIVER -> "action \"local_mail\"";
                        case RELAY -> "action \"outbound\"";
                        case REJECT -> "reject";
                    }).append('\n');
        }
        return b.toString();
    }

    /** OpenSMTPD 6.8 rejects {@code listen on all}; an address or interface works (0.0.0.0 for every IPv4 address). */
    static String listenAddress(String address) {
        return address.isBlank() || address.equals("*") ? "0.0.0.0" : address;
    }

    private static String relayAction(Config c) {
        Config.Outbound o = c.outbound();
        String tls = switch (o.tls()) {
            case REQUIRE -> " tls";
            default -> "";
        };
        if (o.smarthostOpt().isPresent()) {
            return "action \"outbound\" relay host smtp+tls://" + o.smarthost() + " helo " + c.hostname();
        }
        return "action \"outbound\" relay" + tls + " helo " + c.hostname();
    }

    private static String from(String from) {
        if (from.equals("any")) return "from any";
        if (from.equals("local")) return "from local";
        if (from.equals("auth")) return "from any auth";
        if (from.startsWith("src:")) return "from src " + from.substring(4);
        return "from any";
    }

    private static String forWhat(String forWhat) {
        if (forWhat.equals("any")) return "for any";
        if (forWhat.equals("local")) return "for domain <domains>";
        if (forWhat.startsWith("domain:")) return "for domain \"" + forWhat.substring(7) + "\"";
        if (forWhat.startsWith("rcpt:")) return "for rcpt-to \"" + forWhat.substring(5) + "\"";
        return "for any";
    }

    /** user → user@each-domain (everyone at every domain for users allowed to send as anyone). */
    static String sendAs(Config c, List<String> users) {
        StringBuilder b = new StringBuilder("# user  addresses the user may use as MAIL FROM after AUTH\n");
        for (String u : users) {
            List<String> addrs = new ArrayList<>();
            boolean anyone = c.submission().sendAsAnyone().contains(u);
            for (String d : localDomains(c)) addrs.add(anyone ? "@" + d : u + "@" + d);
            b.append(u).append('\t').append(String.join(", ", addrs)).append('\n');
        }
        return b.toString();
    }

    /**
     * {@code DATA/aliases} as OpenSMTPD reads it, else a table of our own. postmaster, abuse and root go to the
     * admin unless the table says otherwise, as in Mailwright (RFC 5321 §4.5.1, RFC 2142).
     */
    static String aliases(Config c, List<String> users, Path data) throws IOException {
        String admin = !c.admin().isBlank() ? c.admin() : users.isEmpty() ? "root" : users.get(0);
        Path file = data.resolve(Aliases.FILE_NAME);
        if (!Files.exists(file)) return "postmaster: " + admin + "\nabuse: " + admin + "\nroot: " + admin + "\n";
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return openSmtpdAliases(text, Aliases.parse(text, file.toString()), admin);
        } catch (Aliases.Malformed e) {
            throw new IOException(e.getMessage() + " (fix it with `mailwright alias`, then export again)", e);
        }
    }

    /**
     * The same table in the subset OpenSMTPD's {@code file:} table reads the same way (table_static.c): one entry a
     * line, {@code #} only at the start of a line, and — in the {@code alias} context of a local action — a key is
     * the user part only. So a line that is already in that form is copied as it is; an entry continued on
     * further lines is joined onto one; a comment after an entry goes on a line of its own; and {@code name@domain}
     * and {@code @domain} (catch-all) entries, which OpenSMTPD would never match there, are left out and listed at
     * the top.
     */
    static String openSmtpdAliases(String text, Aliases table, String admin) {
        Map<Integer, Aliases.Entry> starts = new HashMap<>();
        for (Aliases.Entry e : table.entries()) starts.put(e.line(), e);
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        List<String> leftOut = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < lines.size(); ) {
            Aliases.Entry e = starts.get(i + 1);
            if (e == null) { // blank, or a comment of its own
                body.append(lines.get(i++)).append('\n');
                continue;
            }
            int end = i + 1; // continuation lines: white space first, something before any comment
            while (end < lines.size() && !starts.containsKey(end + 1) && !beforeComment(lines.get(end)).isBlank()) end++;
            List<String> comments = new ArrayList<>();
            for (int j = i; j < end; j++) {
                String line = lines.get(j);
                if (line.indexOf('#') >= 0) comments.add(line.substring(line.indexOf('#')));
            }
            if (e.name().contains("@")) {
                leftOut.add(e.name() + ": " + String.join(", ", e.targets()));
            } else if (end == i + 1 && comments.isEmpty()) {
                body.append(lines.get(i)).append('\n');
            } else {
                comments.forEach(line -> body.append(line).append('\n'));
                body.append(e.name()).append(": ").append(String.join(", ", e.targets())).append('\n');
            }
            i = end;
        }
        for (String name : List.of("postmaster", "abuse", "root")) {
            if (table.entry(name).isEmpty()) body.append(name).append(": ").append(admin).append('\n');
        }
        if (leftOut.isEmpty()) return body.toString();
        StringBuilder b = new StringBuilder("# Left out of Mailwright's aliases: OpenSMTPD looks up only the user part in an alias table,\n"
                + "# so these entries for one domain (name@domain) or a whole domain (@domain) would never match.\n"
                + "# To keep them, give the local action a virtual table listing every address (table(5)).\n");
        leftOut.forEach(l -> b.append("#   ").append(l).append('\n'));
        return b.append('\n').append(body).toString();
    }

    private static String beforeComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    static String acmeClientConf(Config c, Paths paths) {
        String host = c.hostname();
        return "# acme-client.conf: the certificate for " + host + " from Let's Encrypt (HTTP-01, served by httpd).\n"
                + "authority letsencrypt {\n"
                + "\tapi url \"https://acme-v02.api.letsencrypt.org/directory\"\n"
                + "\taccount key \"/etc/acme/letsencrypt-privkey.pem\"\n"
                + "}\n\n"
                + "domain " + host + " {\n"
                + "\tdomain key \"" + paths.key(host) + "\"\n"
                + "\tdomain full chain certificate \"" + paths.cert(host) + "\"\n"
                + "\tsign with letsencrypt\n"
                + "}\n";
    }

    static String httpdConf(Config c) {
        return "# httpd.conf: answers Let's Encrypt's HTTP-01 challenge for acme-client on port 80.\n"
                + "server \"" + c.hostname() + "\" {\n"
                + "\tlisten on * port 80\n"
                + "\tlocation \"/.well-known/acme-challenge/*\" {\n"
                + "\t\troot \"/acme\"\n"
                + "\t\trequest strip 2\n"
                + "\t}\n"
                + "\tlocation * {\n"
                + "\t\tblock return 404\n"
                + "\t}\n"
                + "}\n";
    }

    static String readme(Config c, Paths paths) {
        String host = c.hostname();
        return "Mailwright's setup for " + host + " as OpenSMTPD configuration (OpenBSD).\n\n"
                + "Copy the files into place (as root):\n\n"
                + "  install -m 0644 smtpd.conf /etc/mail/smtpd.conf\n"
                + "  install -m 0640 -g _smtpd passwd " + paths.table("passwd") + "\n"
                + "  install -m 0644 domains sendas aliases " + paths.etc() + "/\n"
                + "  install -m 0644 acme-client.conf /etc/acme-client.conf\n"
                + "  install -m 0644 httpd.conf /etc/httpd.conf\n"
                + "  # optional, until acme-client has made the real certificate:\n"
                + "  install -m 0644 ssl/" + host + ".fullchain.pem " + paths.cert(host) + "\n"
                + "  install -m 0600 ssl/private/" + host + ".key " + paths.key(host) + "\n\n"
                + "Then:\n\n"
                + "  smtpd -n                      # configuration OK?\n"
                + "  rcctl enable httpd && rcctl start httpd\n"
                + "  acme-client -v " + host + "\n"
                + "  rcctl enable smtpd && rcctl restart smtpd\n\n"
                + "Renew the certificate daily (crontab -e):\n\n"
                + "  0 3 * * * acme-client " + host + " && rcctl restart smtpd\n\n"
                + "Users log in with the passwords they have in Mailwright (the passwd table holds the same bcrypt hashes).\n"
                + "Publish the DNS records from `mailwright dns records` (A, MX, SPF, DKIM, DMARC; PTR at your provider).\n"
                + "OpenSMTPD does not sign with DKIM by itself: add filter-dkimsign from packages if you want it.\n";
    }

    private static Path text(Path file, String content, boolean secret) throws IOException {
        Files.writeString(file, content);
        if (secret) Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static Path copy(Path from, Path to, boolean secret) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
        return to;
    }
}
