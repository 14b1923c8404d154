package org.mailwright.cli;

import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.mailwright.admin.Admin;
import org.mailwright.admin.Results;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Is the engine running, and how is it set up: version, hostname, domains, listeners, queue size,",
                "certificate, DKIM selectors, uptime and today's counters. Exit 0 whether it runs or not."})
public final class StatusCommand implements Callable<Integer> {
    @Mixin RemoteOptions remote;
    @Option(names = "--json", description = "One JSON object (running, version, hostname, domains, listeners, queue_size, certificate, dkim_selectors, uptime_seconds, today)")
    boolean json;

    @Override
    public Integer call() {
        Results.Status s = remote.ask(Admin::status);
        if (json) {
            Json.print(s);
            return 0;
        }
        System.out.println("mailwright " + s.version() + " for " + s.hostname() + ": "
                + (s.running() ? "running" + (s.uptimeSeconds() == null ? "" : ", up " + org.mailwright.admin.Ages.words(java.time.Duration.ofSeconds(s.uptimeSeconds())))
                : "not running — start it with `mailwright serve` (or the service)"));
        System.out.println("domains:     " + (s.domains().isEmpty() ? "-" : String.join(", ", s.domains())));
        System.out.println("listeners:   " + s.listeners().stream()
                .map(l -> l.address() + ":" + l.port() + " tls=" + l.tls() + " auth=" + l.auth()).collect(Collectors.joining("; ")));
        System.out.println("queue:       " + s.queueSize() + " envelope(s)");
        Results.Certificate c = s.certificate();
        System.out.println("certificate: " + (c == null ? "none"
                : c.subject() + " for " + String.join(", ", c.names()) + ", not after " + c.notAfter() + " (" + c.daysLeft() + " days left)"));
        System.out.println("dkim:        " + (s.dkimSelectors().isEmpty() ? "no key — `mailwright dkim keygen`" : String.join(", ", s.dkimSelectors())));
        Results.Counters t = s.today();
        System.out.println("today:       " + t.received() + " received, " + t.delivered() + " delivered, " + t.deferred() + " deferred, "
                + t.bounced() + " bounced, " + t.authFailures() + " failed logins");
        return 0;
    }
}
