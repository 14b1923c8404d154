package org.mailwright.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailwright.admin.Admin;
import org.mailwright.admin.Results;
import org.mailwright.lookup.Passwd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    /**
     * Says what is wrong before anybody types a password: a bad name, or (locally, where it costs nothing) a user
     * who exists already / does not exist. Remotely the remote CLI checks it again and its answer is shown.
     */
    static void precheck(Admin admin, RemoteOptions remote, String name, boolean mustExist) {
        String problem = Passwd.checkName(name);
        if (problem != null) throw new Failure(problem);
        if (remote.active()) return;
        boolean exists = admin.users().stream().anyMatch(u -> u.name().equals(name));
        if (exists && !mustExist) throw new Failure("user " + name + " exists already — use `user passwd " + name + "` to change the password");
        if (!exists && mustExist) throw new Failure("no user " + name + " — add it with `user add " + name + "`");
    }

    /** What sets a password: {@link Admin#userAdd} or {@link Admin#userPasswd}. */
    interface PasswordChange {
        void apply(Admin admin, String name, String password);
    }

    /** {@code user add} and {@code user passwd}: the name checked first ({@link #precheck}), then the password read and set. */
    static void setPassword(RemoteOptions remote, String name, boolean stdin, boolean mustExist, PasswordChange change) throws IOException {
        try (Admin admin = remote.admin()) {
            precheck(admin, remote, name, mustExist);
            change.apply(admin, name, readPassword(stdin));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user (mail arrives as NAME@ each domain).")
    static final class Add implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--password-stdin", description = "Read the password as one line from standard input") boolean stdin;

        @Override
        public Integer call() throws IOException {
            setPassword(remote, name, stdin, false, Admin::userAdd);
            System.out.println("Added user " + name + remote.where());
            return 0;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Change a user's password.")
    static final class Passwd_ implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--password-stdin", description = "Read the password as one line from standard input") boolean stdin;

        @Override
        public Integer call() throws IOException {
            setPassword(remote, name, stdin, true, Admin::userPasswd);
            System.out.println("Changed the password of " + name + remote.where());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Option(names = "--json", description = "JSON array, one object per user: {\"name\": ...}") boolean json;

        @Override
        public Integer call() {
            Json.printList(json, remote.ask(Admin::users), Results.User::name);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user (the mailbox stays on disk).")
    static final class Delete implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            remote.change(admin -> admin.userDelete(name));
            System.out.println("Deleted user " + name + remote.where() + "; the mailbox is kept");
            return 0;
        }
    }
}
