package org.mailwright.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dns.DnsCheck;
import org.mailwright.dns.DnsClient;
import org.mailwright.dns.DnsRecords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dns", mixinStandardHelpOptions = true, description = "The DNS records receivers check: print them, check them live.",
        subcommands = {DnsCommand.Records.class, DnsCommand.Check.class})
public final class DnsCommand {

    /** The records for this data directory's configuration and DKIM keys. */
    static DnsRecords records(Config c, Path data) {
        try {
            return DnsRecords.of(c, DkimKeys.loadAll(data.resolve("dkim")));
        } catch (IOException e) {
            throw new Failure("cannot read the DKIM keys: " + e.getMessage() + " — fix or remove the key file in " + data.resolve("dkim"));
        }
    }

    /** {@code --resolver}, else {@code [outbound] resolver}, else the system's. */
    static DnsClient dns(Config c, String resolver) {
        String r = resolver != null && !resolver.isBlank() ? resolver : c.outbound().resolver();
        try {
            return DnsClient.of(r);
        } catch (IllegalArgumentException e) {
            throw new Failure("resolver: " + e.getMessage());
        }
    }

    @Command(name = "records", mixinStandardHelpOptions = true,
            description = "Print every record to publish: A/AAAA, MX, SPF, DKIM, DMARC, PTR, TLS-RPT, SRV, CAA.")
    static final class Records implements Callable<Integer> {
        @Option(names = "--format", description = "zone (master file, for named-checkzone and copy-paste) or json (default: ${DEFAULT-VALUE})")
        String format = "zone";

        @Override
        public Integer call() throws ConfigException {
            Config c = ConfigLoader.load(DataDir.path());
            DnsRecords r = records(c, DataDir.path());
            switch (format) {
                case "zone" -> System.out.print(r.zone());
                case "json" -> System.out.print(r.json());
                default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--format \"" + format + "\" is not zone or json");
            }
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Ask the DNS for each record; prints OK, MISSING or WRONG per record. Exit 0 when every required record is OK.")
    static final class Check implements Callable<Integer> {
        @Option(names = "--resolver", paramLabel = "HOST:PORT", description = "DNS server to ask (default: [outbound] resolver, else the system's)")
        String resolver;

        @Option(names = "--json", description = "One JSON object: every row with status, expected, found, detail")
        boolean json;

        @Override
        public Integer call() throws ConfigException, JsonProcessingException {
            Config c = ConfigLoader.load(DataDir.path());
            DnsRecords wanted = records(c, DataDir.path());
            DnsClient dns = dns(c, resolver);
            List<DnsCheck.Row> rows = new DnsCheck(c, dns).run(wanted);
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("hostname", c.hostname());
                out.put("resolver", dns.description());
                out.put("ok", DnsCheck.allRequiredOk(rows));
                out.put("rows", rows.stream().map(DnsCheck::toMap).toList());
                out.put("notes", wanted.notes());
                System.out.println(new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
                return DnsCheck.allRequiredOk(rows) ? 0 : 1;
            }
            System.out.println("DNS check for " + c.hostname() + " (asked " + dns.description() + ")");
            System.out.print(format(rows));
            wanted.notes().forEach(n -> System.out.println("Note: " + n));
            boolean ok = DnsCheck.allRequiredOk(rows);
            long bad = rows.stream().filter(r -> r.record().required() && !r.ok()).count();
            System.out.println(ok ? "All required records are OK." : bad + " required record(s) not OK.");
            return ok ? 0 : 1;
        }
    }

    /** One line per record, then what was expected and what to do for those that are not OK. */
    static String format(List<DnsCheck.Row> rows) {
        StringBuilder b = new StringBuilder();
        for (DnsCheck.Row r : rows) {
            b.append(String.format("%-8s %-24s %-12s %s%n", r.status(), DnsRecords.label(r.record()), r.record().level(), r.record().name()));
            if (!r.found().isEmpty()) b.append("         found:    ").append(r.found()).append('\n');
            if (!r.ok()) b.append("         expected: ").append(r.record().type()).append(' ').append(r.record().value()).append('\n');
            if (!r.detail().isEmpty()) b.append("         ").append(r.ok() ? "note:     " : "fix:      ").append(r.detail()).append('\n');
        }
        return b.toString();
    }
}
