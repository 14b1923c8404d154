package org.mailwright.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import org.mailwright.config.ConfigWriter;
import org.mailwright.config.Defaults;
import org.mailwright.io.DurableFiles;
import org.mailwright.lookup.Passwd;
import org.mailwright.tls.SelfSigned;

/**
 * {@code mailwright} with no display: runs the engine headless. On a first run it makes a data directory
 * that is safe to start with — loopback only, a self-signed certificate, one user — and says how to use it.
 */
public final class FirstRun {
    private FirstRun() {}

    public static int run(Path data) {
        try {
            String password = null;
            if (!ConfigLoader.exists(data)) password = create(data);
            Engine engine = Engine.start(data);
            printSummary(engine, password);
            ServeCommand.runUntilStopped(engine);
            return 0;
        } catch (ConfigException e) {
            e.problems().forEach(System.err::println);
            return 1;
        } catch (IOException e) {
            System.err.println("mailwright: " + e.getMessage());
            return 1;
        }
    }

    /** Creates the first-run data directory; returns the first user's generated password. */
    static String create(Path data) throws IOException, ConfigException {
        boolean root = "root".equals(System.getProperty("user.name"));
        String host = localHostName();
        List<Config.Listener> listeners = Defaults.listeners("127.0.0.1", root ? 25 : 2525, root ? 587 : 2587, root ? 465 : 2465);
        Config c = Defaults.config(host, List.of(host), listeners, Config.TlsMode.SELF_SIGNED, Config.DeliveryFormat.MAILDIR);
        DurableFiles.createPrivateDirectory(data);
        DurableFiles.createPrivateDirectory(data.resolve("tls"));
        SelfSigned.create(List.of(host), Duration.ofDays(365), c.tls().certPath(data), c.tls().keyPath(data));
        ConfigWriter.save(c, data);
        String user = firstUserName();
        String password = randomPassword();
        new Passwd(data).set(user, password);
        DurableFiles.write(data.resolve("first-run-password"), user + "\t" + password + "\n", true);
        return password;
    }

    static String localHostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getCanonicalHostName().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            name = "localhost";
        }
        if (!name.matches("[a-z0-9.-]+") || name.startsWith("localhost") || !name.contains(".")) {
            name = (name.matches("[a-z0-9-]+") && !name.startsWith("localhost") ? name : "mail") + ".localdomain";
        }
        return name;
    }

    static String firstUserName() {
        String u = System.getProperty("user.name", "admin").toLowerCase(Locale.ROOT);
        return Passwd.checkName(u) == null && !u.equals("root") ? u : "admin";
    }

    static String randomPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16; i++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return b.toString();
    }

    static void printSummary(Engine engine, String password) throws IOException {
        Config c = engine.config();
        Path data = engine.dataDir();
        String user = new Passwd(data).users().stream().findFirst().orElse("USER");
        String domain = c.primaryDomain();
        System.out.println("Mailwright is running headless (no display here; the desktop app needs one).");
        System.out.println("  data directory: " + data);
        System.out.println("  configuration:  " + data.resolve(ConfigLoader.FILE_NAME));
        System.out.println("  maillog:        " + engine.log().file());
        System.out.println("  mailboxes:      " + data.resolve("mail") + "/USER/new");
        for (Config.Listener l : c.listeners()) {
            System.out.println("  listening:      " + l.address() + ":" + l.port() + "  tls=" + l.tls().word() + " auth=" + l.auth().word());
        }
        if (password != null) {
            System.out.println("  first user:     " + user + "  password: " + password
                    + "  (also in " + data.resolve("first-run-password") + ", mode 0600)");
        }
        Config.Listener submission = c.listeners().stream().filter(l -> l.tls() == Config.ListenerTls.REQUIRE).findFirst()
                .orElse(c.listeners().get(0));
        System.out.println();
        System.out.println("Send a test message:");
        System.out.println("  swaks --server " + submission.address() + ":" + submission.port() + " --tls --auth-user " + user
                + " --auth-password '" + (password == null ? "PASSWORD" : password) + "' --from " + user + "@" + domain
                + " --to " + user + "@" + domain);
        Invocation mailwright = Invocation.of(data);
        System.out.println("  or:  echo 'Subject: hello' | " + mailwright.command("sendmail " + user));
        System.out.println("Then look in " + data.resolve("mail").resolve(user).resolve("new") + " and the maillog.");
        System.out.println("Stop with Ctrl-C (SIGTERM); run `" + mailwright.command("--help") + "` for every command.");
        System.out.flush();
        if (!Files.isDirectory(data.resolve("mail"))) Files.createDirectories(data.resolve("mail"));
    }
}
