package org.mailwright.ui;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.mailwright.config.Config;
import org.mailwright.dkim.DkimKey;

/**
 * Where the DNS view gets its records. {@link GeneratedDnsRecords} takes them from the {@code dns} package,
 * the generator behind `mailwright dns records`.
 */
public interface DnsRecordsSource {
    List<DnsRecord> records(Config config, List<DkimKey> dkimKeys) throws IOException;

    /** Every record that belongs in a zone file (PTR lives at the hosting provider: commented out). */
    static String zoneFile(List<DnsRecord> records) {
        return records.stream()
                .map(r -> (r.type().equals("PTR") ? "; set at your hosting provider: " : "") + r.zoneLine())
                .collect(Collectors.joining("\n", "; Mailwright DNS records\n", "\n"));
    }
}
