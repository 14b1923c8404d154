package org.mailwright.ui;

import java.util.List;
import org.mailwright.config.Config;
import org.mailwright.dkim.DkimKey;
import org.mailwright.dns.DnsRecords;

/** The DNS table's rows from the dns package's generator: the same records `mailwright dns records` prints. */
public final class GeneratedDnsRecords implements DnsRecordsSource {

    @Override
    public List<DnsRecord> records(Config config, List<DkimKey> dkimKeys) {
        return DnsRecords.of(config, dkimKeys).records().stream()
                .map(r -> new DnsRecord(r.type(), r.name(), r.value(),
                        r.note().isEmpty() ? r.why() : r.why() + " " + r.note(), r.required()))
                .toList();
    }
}
