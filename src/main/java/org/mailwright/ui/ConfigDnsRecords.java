package org.mailwright.ui;

import java.util.ArrayList;
import java.util.List;
import org.mailwright.config.Config;
import org.mailwright.dkim.DkimKey;
import org.mailwright.dkim.DkimKeys;

/** The recipe's records, computed from the configuration and the DKIM keys: A, AAAA, MX, SPF, DKIM, DMARC, PTR. */
public final class ConfigDnsRecords implements DnsRecordsSource {

    @Override
    public List<DnsRecord> records(Config c, List<DkimKey> dkimKeys) {
        List<DnsRecord> out = new ArrayList<>();
        String host = c.hostname();
        if (!c.ip().isBlank()) {
            out.add(new DnsRecord("A", host, c.ip(), "Other servers find our IPv4 address by the hostname.", true));
        }
        if (!c.ipv6().isBlank()) {
            out.add(new DnsRecord("AAAA", host, c.ipv6(), "The same for IPv6.", false));
        }
        for (String domain : c.domains()) {
            out.add(new DnsRecord("MX", domain, "10 " + host, "Mail for " + domain + " is delivered to " + host + ".", true));
            out.add(new DnsRecord("TXT", domain, "v=spf1 mx -all",
                    "SPF: only the MX host may send as @" + domain + "; receivers reject the rest.", true));
            for (DkimKey k : dkimKeys) {
                out.add(new DnsRecord("TXT", DkimKeys.dnsName(k.selector(), domain), DkimKeys.dnsTxtValue(k),
                        "DKIM: receivers check our signatures with this public key.", true));
            }
            out.add(new DnsRecord("TXT", "_dmarc." + domain, "v=DMARC1; p=quarantine; rua=mailto:postmaster@" + domain,
                    "DMARC: what receivers do with mail that fails SPF and DKIM, and where they report.", true));
        }
        if (!c.ip().isBlank()) {
            out.add(new DnsRecord("PTR", reverseName(c.ip()), host,
                    "Reverse DNS: set at your hosting provider; many receivers refuse mail from an IP without it.", true));
        }
        return out;
    }

    static String reverseName(String ipv4) {
        String[] p = ipv4.split("\\.");
        if (p.length != 4) return ipv4;
        return p[3] + "." + p[2] + "." + p[1] + "." + p[0] + ".in-addr.arpa";
    }
}
