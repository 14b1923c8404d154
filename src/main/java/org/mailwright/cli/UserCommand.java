package org.mailwright.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.mailwright.lookup.Passwd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage the users who log in and receive mail.",
        subcommands = {UserCommand.Add.class, UserCommand.Passwd_.class, UserCommand.ListUsers.class, UserCommand.Delete.class})
public final class UserCommand {

    static String readPassword(boolean fromStdin) throws IOException {
        if (fromStdin) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) throw new Failure("no password on standard input — pipe one line, e.g. `echo 'secret' | mailwright user add NAME --password-stdin`");
            return line;
        }
        Console console = System.console();
        if (console == null) throw new Failure("no terminal to ask for the password — use --password-stdin");
        char[] a = console.readPassword("Password: ");
        char[] b = console.readPassword("Again: ");
        if (a == null || b == null || !Arrays.equals(a, b)) throw new Failure("the two passwords differ — nothing changed");
        return new String(a);
    }

    static void setPassword(Passwd passwd, String name, boolean stdin) throws IOException {
        String problem = Passwd.checkName(name);
        if (problem != null) throw new Failure(problem);
        String password = readPassword(stdin);
        problem = Passwd.checkPassword(password);
        if (problem != null) throw new Failure(problem + " — nothing changed");
        passwd.set(name, password);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user (mail arrives as NAME@ each domain).")
    static final class Add implements Callable<Integer> {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--password-stdin", description = "Read the password as one line from standard input") boolean stdin;

        @Override
        public Integer call() throws IOException {
            Passwd passwd = new Passwd(DataDir.path());
            if (passwd.exists(name)) throw new Failure("user " + name + " exists already — use `user passwd " + name + "` to change the password");
            setPassword(passwd, name, stdin);
            System.out.println("Added user " + name);
            return 0;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Change a user's password.")
    static final class Passwd_ implements Callable<Integer> {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--password-stdin", description = "Read the password as one line from standard input") boolean stdin;

        @Override
        public Integer call() throws IOException {
            Passwd passwd = new Passwd(DataDir.path());
            if (!passwd.exists(name)) throw new Failure("no user " + name + " — add it with `user add " + name + "`");
            setPassword(passwd, name, stdin);
            System.out.println("Changed the password of " + name);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users.")
    static final class ListUsers implements Callable<Integer> {

        @Override
        public Integer call() throws IOException {
            new Passwd(DataDir.path()).users().forEach(System.out::println);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user (the mailbox stays on disk).")
    static final class Delete implements Callable<Integer> {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() throws IOException {
            if (!new Passwd(DataDir.path()).delete(name)) throw new Failure("no user " + name);
            System.out.println("Deleted user " + name + "; the mailbox is kept");
            return 0;
        }
    }
}
