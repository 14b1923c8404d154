package org.mailwright.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.mailwright.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "alias", mixinStandardHelpOptions = true,
        description = {"Manage DATA/aliases, an OpenSMTPD aliases table: NAME (every local domain), NAME@DOMAIN (one domain)"
                + " or @DOMAIN (a catch-all) delivers to users, other aliases, or addresses elsewhere (forwarded)."},
        subcommands = {AliasCommand.Add.class, AliasCommand.ListAliases.class, AliasCommand.Delete.class})
public final class AliasCommand {

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add targets to an alias, making it if there is none.")
    static final class Add implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Parameters(index = "0", paramLabel = "NAME", description = "info, info@example.org or @example.org") String name;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TARGET", description = "A user, an alias or an address") List<String> targets;

        @Override
        public Integer call() {
            remote.change(admin -> admin.aliasAdd(name, targets));
            System.out.println("Alias " + name + " → " + String.join(", ", targets) + remote.where());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the aliases and their targets.")
    static final class ListAliases implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Option(names = "--json", description = "JSON array: {\"name\": ..., \"targets\": [...]}") boolean json;

        @Override
        public Integer call() {
            Json.printList(json, remote.ask(Admin::aliases), a -> a.name() + ": " + String.join(", ", a.targets()));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an alias (mail to it is then refused as unknown).")
    static final class Delete implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            remote.change(admin -> admin.aliasDelete(name));
            System.out.println("Deleted alias " + name + remote.where());
            return 0;
        }
    }
}
