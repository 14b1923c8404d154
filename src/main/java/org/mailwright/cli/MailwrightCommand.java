package org.mailwright.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mailwright.admin.AdminException;
import org.mailwright.admin.Versions;
import org.mailwright.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mailwright}: with no subcommand the app (or, with no display, the headless first run). */
@Command(name = "mailwright", mixinStandardHelpOptions = true, versionProvider = MailwrightCommand.Version.class,
        description = "Set up and run a mail server that other servers trust.",
        subcommands = {InitCommand.class, ServeCommand.class, ConfigCommand.class, UserCommand.class, AliasCommand.class,
                SendmailCommand.class, QueueCommand.class, TlsCommand.class, DkimCommand.class, DnsCommand.class,
                CheckCommand.class, StatusCommand.class, LogCommand.class, AdminSessionCommand.class, DeployCommand.class, ExportCommand.class, CommandLine.HelpCommand.class})
public final class MailwrightCommand implements Callable<Integer> {

    /** What runs when no subcommand is given; the GUI installs itself here. */
    static volatile java.util.function.Function<Path, Integer> noSubcommand = FirstRun::run;

    public static void setNoSubcommand(java.util.function.Function<Path, Integer> action) {
        noSubcommand = action;
    }

    @picocli.CommandLine.Option(names = "--data", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Data directory (default: $MAILWRIGHT_HOME or ~/.mailwright)")
    void setData(Path dir) {
        DataDir.set(dir);
    }

    @Override
    public Integer call() {
        return noSubcommand.apply(DataDir.path());
    }

    public static int execute(String... args) {
        DataDir.set(null);
        CommandLine cli = new CommandLine(new MailwrightCommand());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof AdminException && ex.getCause() instanceof ConfigException) {
                err.println(ex.getMessage()); // file:line lines, as `config check` prints them
            } else if (ex instanceof Failure || ex instanceof AdminException) {
                err.println("mailwright: " + ex.getMessage());
            } else if (ex instanceof ConfigException) {
                err.println(ex.getMessage());
            } else {
                err.println("mailwright: " + ex);
            }
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mailwright " + Versions.current()};
        }
    }
}
