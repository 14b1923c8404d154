package org.mailwright.cli;

import java.util.concurrent.Callable;
import org.mailwright.admin.Results;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Deliverability self-test: DNS records, TLS certificate, our listeners, open relay, DNS blocklists,",
                "outbound port 25; then a score out of 10 with each deduction and its fix. Exit 1 when anything failed.",
                "With --remote it runs on the server, where the listeners and port 25 are."})
public final class CheckCommand implements Callable<Integer> {
    @Mixin RemoteOptions remote;

    @Option(names = "--resolver", paramLabel = "HOST:PORT", description = "DNS server to ask (default: [outbound] resolver, else the system's)")
    String resolver;

    @Option(names = "--probe-host", paramLabel = "HOST:PORT",
            description = "Mail server to connect to for the outbound port 25 test (default: [dns] outbound_probe)")
    String probeHost;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Per connection (default: ${DEFAULT-VALUE})")
    int timeoutSeconds = 5;

    @Option(names = "--json", description = "One JSON object: DNS rows, findings with deductions and fixes, score")
    boolean json;

    @Override
    public Integer call() {
        Results.SelfTestReport report = remote.ask(admin -> admin.check(new Results.CheckOptions(resolver, probeHost, timeoutSeconds)));
        if (json) {
            Json.print(report);
        } else {
            System.out.print(report.text());
        }
        return report.anyFailure() ? 1 : 0;
    }
}
