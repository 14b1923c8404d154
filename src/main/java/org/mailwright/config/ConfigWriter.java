package org.mailwright.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.mailwright.io.DurableFiles;

/** Writes {@code mailwright.conf}: TOML with comments, meant to be read and edited by people. */
public final class ConfigWriter {
    private ConfigWriter() {}

    public static void save(Config c, Path dataDir) throws IOException {
        DurableFiles.write(dataDir.resolve(ConfigLoader.FILE_NAME), toToml(c), false);
    }

    public static String toToml(Config c) {
        StringBuilder b = new StringBuilder();
        b.append("# Mailwright configuration. Edit it by hand or from the app; `mailwright config check` validates it.\n\n");
        b.append("# The name other servers see in our greeting and in Received: lines; it must resolve to our IP.\n");
        b.append("hostname = ").append(q(c.hostname())).append('\n');
        b.append("# Mail for these domains is delivered here (user@domain for every user).\n");
        b.append("domains = ").append(list(c.domains())).append('\n');
        b.append("# Public addresses, used for the DNS records (A, AAAA, SPF, PTR).\n");
        b.append("ip = ").append(q(c.ip())).append('\n');
        b.append("ipv6 = ").append(q(c.ipv6())).append('\n');
        b.append("# Receives postmaster@ and abuse@ of every domain; empty means the first user in passwd.\n");
        b.append("admin = ").append(q(c.admin())).append('\n');
        if (c.matches().isEmpty()) {
            // Without this line the loader would fall back to the default rules, which relay.
            b.append("# No [[match]] rules: every recipient is refused.\n");
            b.append("match = []\n");
        }
        b.append('\n');

        Config.Tls t = c.tls();
        b.append("[tls]\n");
        b.append("# self-signed | acme (Let's Encrypt) | files (your own) | none\n");
        b.append("mode = ").append(q(t.mode().word())).append('\n');
        b.append("cert = ").append(q(t.cert())).append('\n');
        b.append("key = ").append(q(t.key())).append('\n');
        b.append("# Names the certificate covers besides the hostname, e.g. [\"mta-sts.example.org\"].\n");
        b.append("extra_names = ").append(list(t.extraNames())).append('\n');
        b.append("# ACME (mode = \"acme\"): letsencrypt | letsencrypt-staging | the https URL of an ACME directory.\n");
        b.append("acme_directory = ").append(q(t.acmeDirectory())).append('\n');
        b.append("acme_email = ").append(q(t.acmeEmail())).append('\n');
        b.append("# The CA checks http://HOSTNAME/.well-known/acme-challenge/ on port 80; forward it here if this port differs.\n");
        b.append("acme_http_port = ").append(t.acmeHttpPort()).append('\n');
        b.append("# Extra CA certificates (PEM) to trust for the ACME server itself; empty for the system's.\n");
        b.append("acme_trust = ").append(q(t.acmeTrust())).append("\n\n");

        b.append("# Listeners. tls: starttls | require | implicit | none; auth: none | optional | require\n");
        for (Config.Listener l : c.listeners()) {
            b.append("[[listen]]\n");
            b.append("address = ").append(q(l.address())).append('\n');
            b.append("port = ").append(l.port()).append('\n');
            b.append("tls = ").append(q(l.tls().word())).append('\n');
            b.append("auth = ").append(q(l.auth().word())).append("\n\n");
        }

        Config.Delivery d = c.delivery();
        b.append("[delivery]\n");
        b.append("# maildir (DATA/mail/USER) or mbox (DATA/mbox/USER)\n");
        b.append("format = ").append(q(d.format().word())).append('\n');
        b.append("# Bytes, 1024 to 2147483646; a larger message gets 552 5.3.4.\n");
        b.append("max_message_size = ").append(d.maxMessageSize()).append("\n\n");

        Config.Limits lim = c.limits();
        b.append("[limits]\n");
        b.append("# Open sessions per listener, and from one client address; more are refused with 421 4.7.0.\n");
        b.append("max_connections = ").append(lim.maxConnections()).append('\n');
        b.append("max_connections_per_ip = ").append(lim.maxConnectionsPerIp()).append('\n');
        b.append("# A client silent this long is disconnected (1s to 1h; \"0s\": never).\n");
        b.append("idle_timeout = ").append(q(Durations.format(lim.idleTimeout()))).append('\n');
        b.append("# A session older than this is closed with 421 4.4.2 (1s to 1d; \"0s\": never).\n");
        b.append("session_timeout = ").append(q(Durations.format(lim.sessionTimeout()))).append('\n');
        b.append("# Recipients per message; more get 452 4.5.3 and are sent in another transaction (Postfix: 1000).\n");
        b.append("max_recipients = ").append(lim.maxRecipients()).append('\n');
        b.append("# Failed commands in one session: after the first number each error reply is delayed (from 1 s, growing),\n");
        b.append("# after the second the session is closed with 421 4.7.0 (Postfix's smtpd_soft/hard_error_limit).\n");
        b.append("soft_error_limit = ").append(lim.softErrorLimit()).append('\n');
        b.append("hard_error_limit = ").append(lim.hardErrorLimit()).append('\n');
        b.append("# Slowest DATA we wait for, in bytes per second (Postfix's smtpd_min_data_rate); 0: no minimum.\n");
        b.append("min_data_rate = ").append(lim.minDataRate()).append('\n');
        b.append("# After this many failed logins from one address each reply is slowed; after the second number it is locked out.\n");
        b.append("auth_failures_before_delay = ").append(lim.authFailuresBeforeDelay()).append('\n');
        b.append("auth_failures_before_lockout = ").append(lim.authFailuresBeforeLockout()).append('\n');
        b.append("# How long a lockout lasts, and how long a failure is remembered (1s to 1d).\n");
        b.append("auth_lockout = ").append(q(Durations.format(lim.authLockout()))).append("\n\n");

        b.append("[submission]\n");
        b.append("# An authenticated user may send only as user@one-of-our-domains, unless listed in send_as_anyone.\n");
        b.append("sender_check = ").append(c.submission().senderCheck()).append('\n');
        b.append("send_as_anyone = ").append(list(c.submission().sendAsAnyone())).append("\n\n");

        b.append("[queue]\n");
        b.append("# Delays between attempts after a temporary failure (the last one repeats; each 1s to 1d),\n");
        b.append("# and when to give up and bounce (1s to 30d).\n");
        b.append("retry_schedule = ").append(list(c.queue().retrySchedule().stream().map(Durations::format).toList())).append('\n');
        b.append("expire = ").append(q(Durations.format(c.queue().expire()))).append("\n\n");

        Config.Outbound o = c.outbound();
        b.append("[outbound]\n");
        b.append("# DNS server for MX lookups as HOST:PORT; empty means the system's resolver.\n");
        b.append("resolver = ").append(q(o.resolver())).append('\n');
        b.append("port = ").append(o.port()).append('\n');
        b.append("# opportunistic (STARTTLS when offered) | require | none\n");
        b.append("tls = ").append(q(o.tls().word())).append('\n');
        b.append("# Send everything through a provider's submission server (HOST:PORT) when port 25 is blocked.\n");
        b.append("smarthost = ").append(q(o.smarthost())).append('\n');
        b.append("smarthost_user = ").append(q(o.smarthostUser())).append('\n');
        b.append("smarthost_password_file = ").append(q(o.smarthostPasswordFile())).append("\n\n");

        b.append("# Rules, first match wins. from: any | local | auth | src:CIDR; for: any | local | domain:D | rcpt:ADDR;\n");
        b.append("# action: deliver | relay | reject. Nothing matches → rejected: nobody relays unless a rule says so.\n");
        for (Config.MatchRule m : c.matches()) {
            b.append("[[match]]\n");
            b.append("from = ").append(q(m.from().word())).append('\n');
            b.append("for = ").append(q(m.forWhat().word())).append('\n');
            b.append("action = ").append(q(m.action().word())).append("\n\n");
        }
        Config.Dns dns = c.dns();
        b.append("[dns]\n");
        b.append("# How the SPF record ends: \"-all\" (mail from other hosts fails SPF) or \"~all\" (soft fail, while testing).\n");
        b.append("spf_all = ").append(q(dns.spfAll().word())).append('\n');
        b.append("# Where receivers send DMARC and TLS reports; empty means postmaster@ of each domain.\n");
        b.append("dmarc_report = ").append(q(dns.dmarcReport())).append('\n');
        b.append("tls_report = ").append(q(dns.tlsReport())).append('\n');
        b.append("# DNS blocklists the self-test (`mailwright check`) looks our IP up in.\n");
        b.append("blocklists = ").append(list(dns.blocklists())).append('\n');
        b.append("# A mail server (HOST:PORT) the self-test connects to, to see whether outbound port 25 is open.\n");
        b.append("outbound_probe = ").append(q(dns.outboundProbe())).append("\n\n");

        Config.Inbound in = c.inbound();
        b.append("[inbound]\n");
        b.append("# Mail from other servers (port 25). dmarc: enforce (the sender's p=reject refuses, p=quarantine goes to Junk),\n");
        b.append("# report-only (checked and logged, always delivered) or off.\n");
        b.append("dmarc = ").append(q(in.dmarc().word())).append('\n');
        b.append("# DNS blocklists asked on connect, like [\"zen.spamhaus.org\"]; a listed client gets 554 5.7.1.\n");
        b.append("# Each costs one DNS query per connection, and a list may refuse a legitimate server now and then.\n");
        b.append("dnsbl = ").append(list(in.dnsbl())).append('\n');
        b.append("# Greylisting: the first attempt of an unknown (network, sender, recipient) gets 451 4.7.1 and a retry\n");
        b.append("# after greylist_delay is accepted. Stops some spam, but delays first mail from every new sender.\n");
        b.append("greylisting = ").append(in.greylisting()).append('\n');
        b.append("greylist_delay = ").append(q(Durations.format(in.greylistDelay()))).append("\n\n");
        return b.toString();
    }

    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
                    else b.append(ch);
                }
            }
        }
        return b.append('"').toString();
    }

    static String list(List<String> items) {
        return items.stream().map(ConfigWriter::q).collect(Collectors.joining(", ", "[", "]"));
    }

}
