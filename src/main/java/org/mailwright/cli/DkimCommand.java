package org.mailwright.cli;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigLoader;
import org.mailwright.dkim.DkimKey;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dkim.KeyType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dkim", mixinStandardHelpOptions = true, description = "DKIM keys: outgoing mail from our domains is signed with each.",
        subcommands = {DkimCommand.Keygen.class})
public final class DkimCommand {

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Create a DKIM key (DATA/dkim/SELECTOR.key, mode 0600) and print the DNS TXT record to publish.")
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--selector", paramLabel = "S", description = "Selector: the key's name in DNS (default: mailwright, or mailwright-ed25519 for --type ed25519)")
        String selector;

        @Option(names = "--type", paramLabel = "rsa|ed25519", description = "rsa (2048 bits, default) or ed25519 (RFC 8463)")
        String type = "rsa";

        @Override
        public Integer call() throws Exception {
            Path data = DataDir.path();
            if (!ConfigLoader.exists(data)) throw new Failure("no mailwright.conf in " + data + " — run `mailwright init` first");
            Config config = ConfigLoader.load(data);
            KeyType keyType;
            try {
                keyType = KeyType.parse(type);
            } catch (IllegalArgumentException e) {
                throw new Failure(e.getMessage());
            }
            String s = selector != null ? selector : keyType == KeyType.RSA ? "mailwright" : "mailwright-ed25519";
            Path dir = data.resolve("dkim");
            DkimKey key;
            try {
                key = DkimKeys.generate(dir, s, keyType);
            } catch (FileAlreadyExistsException e) {
                throw new Failure("DATA/dkim/" + s + ".key exists already — choose another --selector (keep the old one while its DNS record is published)");
            } catch (IllegalArgumentException e) {
                throw new Failure(e.getMessage());
            }
            String value = DkimKeys.dnsTxtValue(key);
            System.out.println("Wrote " + dir.resolve(s + DkimKeys.KEY_SUFFIX) + " (" + keyType.keyTag()
                    + (keyType == KeyType.RSA ? " " + DkimKeys.DEFAULT_RSA_BITS + " bits" : "") + ", mode 0600).");
            System.out.println("Publish this TXT record for each domain you send from; mail is signed from now on:");
            List<String> domains = new ArrayList<>(config.domains());
            if (domains.isEmpty()) domains.add(config.hostname());
            for (String domain : domains) {
                String name = DkimKeys.dnsName(s, domain);
                System.out.println();
                System.out.println("name:  " + name);
                System.out.println("type:  TXT");
                System.out.println("value: " + value);
                StringBuilder zone = new StringBuilder(name).append(". 3600 IN TXT");
                for (String part : DkimKeys.txtStrings(value)) zone.append(" \"").append(part).append('"');
                System.out.println("zone:  " + zone);
            }
            return 0;
        }
    }
}
