package org.mailwright.cli;

import java.util.concurrent.Callable;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import picocli.CommandLine.Command;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with mailwright.conf.",
        subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate mailwright.conf; prints file:line: problem lines and exits 1 when it is wrong.")
    static final class Check implements Callable<Integer> {

        @Override
        public Integer call() {
            try {
                Config c = ConfigLoader.load(DataDir.path());
                System.out.println(ConfigLoader.FILE_NAME + ": OK (" + c.hostname() + ", " + c.listeners().size() + " listeners, "
                        + c.matches().size() + " rules)");
                return 0;
            } catch (ConfigException e) {
                e.problems().forEach(System.err::println);
                return 1;
            }
        }
    }
}
