package org.mailwright.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import org.mailwright.deploy.OpenSmtpdExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write this setup as another mail server's configuration (today: OpenSMTPD).")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FORMAT", description = "opensmtpd") String format;
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for the files") Path out;
    @Option(names = "--etc", paramLabel = "DIR", defaultValue = "/etc/mail",
            description = "Where smtpd.conf says the tables are (default: ${DEFAULT-VALUE})") String etc;
    @Option(names = "--ssl", paramLabel = "DIR", defaultValue = "/etc/ssl",
            description = "Where smtpd.conf and acme-client.conf say the certificate is (default: ${DEFAULT-VALUE})") String ssl;

    @Override
    public Integer call() throws IOException, ConfigException {
        if (!format.equals("opensmtpd")) throw new Failure("unknown export format '" + format + "' — the one there is: opensmtpd");
        Config c = ConfigLoader.load(DataDir.path());
        List<Path> files = OpenSmtpdExport.write(c, DataDir.path(), out, new OpenSmtpdExport.Paths(etc, ssl));
        files.forEach(f -> System.out.println("wrote " + f));
        System.out.println("Next: read " + out.resolve("README") + " (copy the files, `smtpd -n`, rcctl commands)");
        return 0;
    }
}
