package org.mailwright.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import org.mailwright.config.ConfigWriter;
import org.mailwright.config.Defaults;
import org.mailwright.io.DurableFiles;
import org.mailwright.tls.SelfSigned;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create a data directory: mailwright.conf, and a TLS certificate when asked.")
public final class InitCommand implements Callable<Integer> {
    @Option(names = "--hostname", required = true, description = "The name other servers see, e.g. mail.example.org") String hostname;
    @Option(names = "--domain", description = "A domain to receive mail for (repeatable)") List<String> domains = new ArrayList<>();
    @Option(names = "--ip", description = "Public IPv4 address (for DNS records)") String ip = "";
    @Option(names = "--ipv6", description = "Public IPv6 address") String ipv6 = "";
    @Option(names = "--tls", description = "self-signed, acme, files or none (default: ${DEFAULT-VALUE})") String tls = "self-signed";
    @Option(names = "--bind", description = "Address to listen on (default: ${DEFAULT-VALUE})") String bind = "0.0.0.0";
    @Option(names = "--smtp-port", description = "Port for other servers, STARTTLS (default: ${DEFAULT-VALUE})") int smtpPort = 25;
    @Option(names = "--submission-port", description = "Port for users, TLS and AUTH required (default: ${DEFAULT-VALUE})") int submissionPort = 587;
    @Option(names = "--smtps-port", description = "Port for users, implicit TLS (default: ${DEFAULT-VALUE})") int smtpsPort = 465;
    @Option(names = "--resolver", paramLabel = "HOST:PORT", description = "DNS server for MX lookups") String resolver = "";
    @Option(names = "--delivery", description = "maildir or mbox (default: ${DEFAULT-VALUE})") String delivery = "maildir";
    @Option(names = "--admin", description = "User who receives postmaster@ and abuse@") String admin = "";
    @Option(names = "--force", description = "Overwrite an existing mailwright.conf") boolean force;

    @Override
    public Integer call() throws IOException, ConfigException {
        Path data = DataDir.path();
        if (ConfigLoader.exists(data) && !force) {
            throw new Failure(data.resolve(ConfigLoader.FILE_NAME) + " already exists — edit it, or run init again with --force to replace it");
        }
        Config.TlsMode mode = parseEnum(Config.TlsMode.class, tls, "--tls", "self-signed, acme, files or none");
        Config.DeliveryFormat format = parseEnum(Config.DeliveryFormat.class, delivery, "--delivery", "maildir or mbox");
        List<Config.Listener> listeners = new ArrayList<>(Defaults.listeners(bind, smtpPort, submissionPort, smtpsPort));
        if (mode == Config.TlsMode.NONE) {
            listeners.replaceAll(l -> l.withTls(Config.ListenerTls.NONE)
                    .withAuth(l.auth() == Config.ListenerAuth.REQUIRE ? Config.ListenerAuth.NONE : l.auth()));
            listeners.removeIf(l -> l.port() == smtpsPort);
        }
        String host = hostname.toLowerCase(java.util.Locale.ROOT);
        Config c = Defaults.config(host, domains.isEmpty() ? List.of(host) : domains, listeners, mode, format);
        c = c.withIp(ip).withIpv6(ipv6).withAdmin(admin).withOutbound(c.outbound().withResolver(resolver));
        DurableFiles.createPrivateDirectory(data);
        if (mode == Config.TlsMode.SELF_SIGNED) {
            DurableFiles.createPrivateDirectory(data.resolve("tls"));
            SelfSigned.create(List.of(host), Duration.ofDays(365), c.tls().certPath(data), c.tls().keyPath(data));
        }
        String text = ConfigWriter.toToml(c);
        ConfigLoader.parse(text, mode == Config.TlsMode.SELF_SIGNED ? data : null); // never write what we could not read back
        ConfigWriter.save(c, data);
        System.out.println("Wrote " + data.resolve(ConfigLoader.FILE_NAME));
        if (mode == Config.TlsMode.SELF_SIGNED) System.out.println("Wrote a self-signed certificate for " + host + " to " + c.tls().certPath(data));
        if (mode == Config.TlsMode.ACME || mode == Config.TlsMode.FILES) {
            System.out.println("Next: get a certificate with `mailwright tls acme` or `mailwright tls import --cert F --key F`.");
        }
        System.out.println("Next: add a user with `mailwright --data " + data + " user add NAME`, then `mailwright --data " + data + " serve`.");
        return 0;
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String word, String option, String choices) {
        for (E e : type.getEnumConstants()) {
            if (e.name().replace('_', '-').equalsIgnoreCase(word)) return e;
        }
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new InitCommand()),
                option + " \"" + word + "\" is not one of " + choices);
    }
}
