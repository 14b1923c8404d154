package org.mailwright.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mailwright.admin.Results;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dns", mixinStandardHelpOptions = true, description = "The DNS records receivers check: print them, check them live.",
        subcommands = {DnsCommand.Records.class, DnsCommand.Check.class})
public final class DnsCommand {

    @Command(name = "records", mixinStandardHelpOptions = true,
            description = "Print every record to publish: A/AAAA, MX, SPF, DKIM, DMARC, PTR, TLS-RPT, SRV, CAA.")
    static final class Records implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Option(names = "--format", description = "zone (master file, for named-checkzone and copy-paste) or json (default: ${DEFAULT-VALUE})")
        String format = "zone";

        @Override
        public Integer call() {
            if (!format.equals("zone") && !format.equals("json")) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--format \"" + format + "\" is not zone or json");
            }
            String records = remote.ask(admin -> admin.dnsRecords(format));
            System.out.print(records);
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Ask the DNS for each record; prints OK, MISSING or WRONG per record. Exit 0 when every required record is OK.",
                    "With --remote the server asks, so the answers are what the world sees from there."})
    static final class Check implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Option(names = "--resolver", paramLabel = "HOST:PORT", description = "DNS server to ask (default: [outbound] resolver, else the system's)")
        String resolver;

        @Option(names = "--json", description = "One JSON object: every row with status, expected, found, detail")
        boolean json;

        @Override
        public Integer call() {
            Results.DnsCheckReport r = remote.ask(admin -> admin.dnsCheck(resolver));
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("hostname", r.hostname());
                out.put("resolver", r.resolver());
                out.put("ok", r.ok());
                out.put("rows", r.rows());
                out.put("notes", r.notes());
                out.put("text", r.text());
                Json.print(out);
            } else {
                System.out.print(r.text());
            }
            return r.ok() ? 0 : 1;
        }
    }
}
