package org.mailwright.cli;

import java.util.concurrent.Callable;
import org.mailwright.admin.Results;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dkim", mixinStandardHelpOptions = true, description = "DKIM keys: outgoing mail from our domains is signed with each.",
        subcommands = {DkimCommand.Keygen.class, DkimCommand.ListKeys.class, DkimCommand.Delete.class})
public final class DkimCommand {

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Create a DKIM key (DATA/dkim/SELECTOR.key, mode 0600) and print the DNS TXT record to publish.")
    static final class Keygen implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Option(names = "--selector", paramLabel = "S", description = "Selector: the key's name in DNS (default: mailwright, or mailwright-ed25519 for --type ed25519)")
        String selector;

        @Option(names = "--type", paramLabel = "rsa|ed25519", description = "rsa (2048 bits, default) or ed25519 (RFC 8463)")
        String type = "rsa";

        @Option(names = "--json", description = "The key file and the records to publish as JSON") boolean json;

        @Override
        public Integer call() {
            Results.DkimKeyInfo key = remote.ask(admin -> admin.dkimKeygen(selector, type));
            if (json) {
                Json.print(key);
                return 0;
            }
            System.out.println("Wrote " + key.keyFile() + " (" + key.keyType()
                    + (key.bits() > 0 ? " " + key.bits() + " bits" : "") + ", mode 0600).");
            System.out.println("Publish this TXT record for each domain you send from; mail is signed from now on:");
            for (Results.DkimRecord r : key.records()) {
                System.out.println();
                System.out.println("name:  " + r.name());
                System.out.println("type:  TXT");
                System.out.println("value: " + r.value());
                System.out.println("zone:  " + r.zone());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The keys in DATA/dkim (mail is signed with each) and their TXT records.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Option(names = "--json", description = "An array: selector, key_file, key_type, bits, records") boolean json;

        @Override
        public Integer call() {
            java.util.List<Results.DkimKeyInfo> keys = remote.ask(org.mailwright.admin.Admin::dkimKeys);
            if (json) {
                Json.print(keys);
                return 0;
            }
            if (keys.isEmpty()) System.out.println("No DKIM keys" + remote.where() + " — mail is not signed; `mailwright dkim keygen` makes one.");
            for (Results.DkimKeyInfo k : keys) {
                System.out.println(k.selector() + "  " + k.keyType() + (k.bits() > 0 ? " " + k.bits() + " bits" : "") + "  " + k.keyFile());
                for (Results.DkimRecord r : k.records()) System.out.println("    " + r.name() + " TXT " + r.value());
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Remove DATA/dkim/SELECTOR.key: mail is no longer signed with it.",
                    "Keep its DNS record a few days, so receivers can still check mail signed before."})
    static final class Delete implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @picocli.CommandLine.Parameters(paramLabel = "SELECTOR") String selector;

        @Override
        public Integer call() {
            remote.change(admin -> admin.dkimDelete(selector));
            System.out.println("Removed the DKIM key " + selector + remote.where() + "; keep its DNS record a few days for mail already sent.");
            return 0;
        }
    }
}
