package org.mailwright.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.tls.SelfSigned;
import picocli.CommandLine.Command;

@Command(name = "tls", mixinStandardHelpOptions = true, description = "Manage the TLS certificate.",
        subcommands = {TlsCommand.SelfSignedCmd.class})
public final class TlsCommand {

    @Command(name = "self-signed", mixinStandardHelpOptions = true,
            description = "Create a self-signed certificate for the hostname (DATA/tls/fullchain.pem, privkey.pem).")
    static final class SelfSignedCmd implements Callable<Integer> {

        @Override
        public Integer call() throws Exception {
            Config.Tls tls;
            String host;
            try {
                Config c = ConfigLoader.parse(java.nio.file.Files.readString(DataDir.path().resolve(ConfigLoader.FILE_NAME)), null);
                tls = c.tls();
                host = c.hostname();
            } catch (java.nio.file.NoSuchFileException e) {
                throw new Failure("no mailwright.conf in " + DataDir.path() + " — run `mailwright init` first");
            }
            SelfSigned.create(List.of(host), Duration.ofDays(365), tls.certPath(DataDir.path()), tls.keyPath(DataDir.path()));
            System.out.println("Wrote a self-signed certificate for " + host + " to " + tls.certPath(DataDir.path()));
            return 0;
        }
    }
}
