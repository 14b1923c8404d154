package org.mailwright.lookup;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailwright.config.Config;
import org.mailwright.mail.Addresses;

/**
 * Who receives mail for a local address: {@code user@} each local domain (and {@code user+tag@}),
 * and {@code postmaster@}/{@code abuse@} every local domain for the admin (RFC 5321 §4.5.1, RFC 2142).
 */
public final class Recipients {
    private final Config config;
    private final Passwd passwd;

    public Recipients(Config config, Passwd passwd) {
        this.config = config;
        this.passwd = passwd;
    }

    /** The local user who gets mail for {@code address}, if any. */
    public Optional<String> localUser(String address) throws IOException {
        String local = Addresses.user(address);
        if (local.isEmpty() || !config.isLocalDomain(Addresses.domainOf(address))) return Optional.empty();
        if (passwd.exists(local)) return Optional.of(local);
        if (local.equals("postmaster") || local.equals("abuse")) return admin();
        return Optional.empty();
    }

    /** The admin: the configured one, else the first user in passwd. */
    public Optional<String> admin() throws IOException {
        if (!config.admin().isBlank() && passwd.exists(config.admin())) return Optional.of(config.admin());
        List<String> users = passwd.users();
        return users.isEmpty() ? Optional.empty() : Optional.of(users.get(0));
    }

    /** The addresses {@code user} may send as after AUTH: {@code user@} (or {@code user+tag@}) one of our domains. */
    public boolean mayUseSender(String user, String sender) {
        if (!config.submission().senderCheck() || config.submission().sendAsAnyone().contains(user)) return true;
        String local = Addresses.user(sender);
        return !local.isEmpty() && local.equals(user.toLowerCase(Locale.ROOT)) && config.isLocalDomain(Addresses.domainOf(sender));
    }
}
