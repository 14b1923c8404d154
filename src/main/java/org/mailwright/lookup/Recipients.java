package org.mailwright.lookup;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailwright.config.Config;
import org.mailwright.mail.Addresses;

/**
 * The users behind local addresses: who has a mailbox, who the admin is (postmaster@ and abuse@ of every local
 * domain reach the admin, RFC 5321 §4.5.1, RFC 2142), and which senders a user may use. Where mail for an address
 * goes (aliases, rules) is {@code ruleset.Routing}'s.
 */
public final class Recipients {
    private final Config config;
    private final Passwd passwd;

    public Recipients(Config config, Passwd passwd) {
        this.config = config;
        this.passwd = passwd;
    }

    /** Whether {@code name} has a mailbox here (a passwd entry). */
    public boolean isUser(String name) throws IOException {
        return passwd.exists(name);
    }

    /** The admin: the configured one, else the first user in passwd. */
    public Optional<String> admin() throws IOException {
        return admin(config.admin(), passwd.users());
    }

    /** The admin among {@code users} (in passwd order) when {@code configured} is the one configured. */
    public static Optional<String> admin(String configured, List<String> users) {
        if (configured != null && !configured.isBlank() && users.contains(configured)) return Optional.of(configured);
        return users.isEmpty() ? Optional.empty() : Optional.of(users.get(0));
    }

    /** The addresses {@code user} may send as after AUTH: {@code user@} (or {@code user+tag@}) one of our domains. */
    public boolean mayUseSender(String user, String sender) {
        if (!config.submission().senderCheck() || config.submission().sendAsAnyone().contains(user)) return true;
        String local = Addresses.user(sender);
        return !local.isEmpty() && local.equals(user.toLowerCase(Locale.ROOT)) && config.isLocalDomain(Addresses.domainOf(sender));
    }
}
