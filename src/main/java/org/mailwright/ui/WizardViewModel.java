package org.mailwright.ui;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mailwright.admin.Results;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.Defaults;
import org.mailwright.dkim.DkimKey;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dkim.KeyType;
import org.mailwright.dns.DnsRecord;
import org.mailwright.dns.DnsRecords;
import org.mailwright.lookup.Aliases;
import org.mailwright.lookup.Passwd;
import org.mailwright.ui.SetupPlan.TlsChoice;
import org.mailwright.ui.SetupPlan.UserDraft;

/**
 * The setup wizard's state: Host → TLS → Users → Aliases (postmaster, abuse, info) → DNS → Summary → Where will it
 * run? (this computer, or a server over SSH that Finish deploys to). Every page validates before Next; nothing
 * touches the data directory until {@link #finish}.
 */
public final class WizardViewModel {
    public static final List<String> PAGES = List.of("Host", "TLS", "Users", "Aliases", "DNS", "Summary", "Where");
    public static final int HOST = 0, TLS = 1, USERS = 2, ALIASES = 3, DNS = 4, SUMMARY = 5, WHERE = 6;

    /** One of the usual aliases the Aliases page offers, written to DATA/aliases on Finish when it is checked. */
    public static final class UsualAlias {
        final String name;
        final String why;
        final BooleanProperty wanted = new SimpleBooleanProperty(false);
        /** Where it goes, as typed: the admin unless changed. */
        final StringProperty target = new SimpleStringProperty("");

        UsualAlias(String name, String why) {
            this.name = name;
            this.why = why;
        }
    }

    private final AppContext context;
    private final boolean rerun;
    private final IntegerProperty page = new SimpleIntegerProperty(HOST);
    private final StringProperty problem = new SimpleStringProperty("");
    final StringProperty hostname = new SimpleStringProperty("");
    final StringProperty domains = new SimpleStringProperty("");
    final StringProperty ipv4 = new SimpleStringProperty("");
    final StringProperty ipv6 = new SimpleStringProperty("");
    final StringProperty bind = new SimpleStringProperty("0.0.0.0");
    final StringProperty smtpPort = new SimpleStringProperty("");
    final StringProperty submissionPort = new SimpleStringProperty("");
    final StringProperty smtpsPort = new SimpleStringProperty("");
    final ObjectProperty<TlsChoice> tls = new SimpleObjectProperty<>(TlsChoice.SELF_SIGNED);
    final StringProperty acmeEmail = new SimpleStringProperty("");
    final BooleanProperty acmeStaging = new SimpleBooleanProperty(false);
    final StringProperty certFile = new SimpleStringProperty("");
    final StringProperty keyFile = new SimpleStringProperty("");
    /** A re-run's certificate in use, in words ("mail.example.org, self-signed, 300 days left"); empty when none. */
    final StringProperty existingCertificate = new SimpleStringProperty("");
    /** The user said yes to replacing the certificate in use with the TLS choice (asked when leaving the page). */
    final BooleanProperty replaceConfirmed = new SimpleBooleanProperty(false);
    /** Let's Encrypt's order on Finish, step by step. */
    final AcmeSteps acmeSteps = new AcmeSteps();
    final ObservableList<UserDraft> users = FXCollections.observableArrayList();
    final StringProperty admin = new SimpleStringProperty("");
    final StringProperty newUser = new SimpleStringProperty("");
    final StringProperty newPassword = new SimpleStringProperty("");
    final StringProperty newPasswordConfirm = new SimpleStringProperty("");
    final List<UsualAlias> usualAliases = List.of(
            new UsualAlias("postmaster", "Where other servers' admins write about delivery problems (RFC 5321 §4.5.1). "
                    + "It reaches the admin even without an alias."),
            new UsualAlias("abuse", "Where complaints about spam from your domains go (RFC 2142). It reaches the admin even "
                    + "without an alias."),
            new UsualAlias("info", "A general contact address for people."));
    /** The aliases DATA/aliases had when the wizard started (a re-run), to write only what changed. */
    private final java.util.Map<String, List<String>> existingAliases = new java.util.LinkedHashMap<>();
    final ObservableList<DnsRecord> records = FXCollections.observableArrayList();
    /** The records shown, as the dns package generated them; "Copy all as zone file" copies their zone text. */
    private DnsRecords generated;
    final StringProperty dnsStatus = new SimpleStringProperty("");
    final StringProperty summary = new SimpleStringProperty("");
    final BooleanProperty finishing = new SimpleBooleanProperty(false);
    final StringProperty finishStatus = new SimpleStringProperty("");
    /** Where will it run: false, this computer; true, the server of {@link #deploy}. */
    final BooleanProperty onServer = new SimpleBooleanProperty(false);
    private DeployViewModel deploy;
    private final List<String> existingUsers = new ArrayList<>();
    private Config existing;
    /** The listener fields as loadExisting filled them, to tell what the user changed. */
    private LoadedListeners loaded;

    private record LoadedListeners(String bind, String smtpPort, String submissionPort, String smtpsPort) {}
    private volatile DkimKey dkimKey;
    private volatile Path dkimKeyFile;
    private boolean keyRequested;

    public WizardViewModel(AppContext context, boolean rerun) {
        this.context = context;
        this.rerun = rerun;
        boolean root = "root".equals(System.getProperty("user.name"));
        smtpPort.set(root ? "25" : "2525");
        submissionPort.set(root ? "587" : "2587");
        smtpsPort.set(root ? "465" : "2465");
        List<String> v4 = HostNames.interfaceAddresses(false);
        if (!v4.isEmpty()) ipv4.set(v4.get(0));
        // A usual alias goes to the admin until its target is changed: it follows when another admin is chosen.
        admin.addListener((o, was, now) -> usualAliases.forEach(a -> {
            if (a.target.get().isBlank() || a.target.get().equals(was)) a.target.set(now == null ? "" : now);
        }));
        tls.addListener((o, was, now) -> replaceConfirmed.set(false));
        if (rerun && context.configured()) loadExisting();
        else context.work().run("Guessing the hostname", WizardViewModel::guessHostname, guess -> { // reverse DNS may be slow
            boolean untouchedYet = !hasInput();
            if (hostname.get().isEmpty()) hostname.set(guess);
            if (untouchedYet) untouched = answers(); // the guess is not the user's input
        }, failed -> { });
        untouched = answers();
    }

    /** The answers before the user gave any: the defaults, or what a re-run loaded. */
    private String untouched;

    /** Every answer the pages take, as one text to compare. */
    private String answers() {
        List<Object> all = new ArrayList<>(List.of(hostname.get(), domains.get(), ipv4.get(), ipv6.get(), bind.get(),
                smtpPort.get(), submissionPort.get(), smtpsPort.get(), tls.get(), acmeEmail.get(), acmeStaging.get(),
                certFile.get(), keyFile.get(), admin.get(), newUser.get(), newPassword.get(), onServer.get()));
        users.forEach(u -> all.add(u.name()));
        usualAliases.forEach(a -> all.add(a.wanted.get() + a.target.get()));
        return all.toString();
    }

    /** Whether closing the wizard now would discard something the user gave: an answer, or a page past the first. */
    public boolean hasInput() {
        return page.get() > HOST || !answers().equals(untouched);
    }

    private void loadExisting() {
        try {
            Config c = context.config();
            existing = c;
            hostname.set(c.hostname());
            domains.set(String.join(", ", c.domains()));
            ipv4.set(c.ip());
            ipv6.set(c.ipv6());
            admin.set(c.admin());
            tls.set(switch (c.tls().mode()) {
                case ACME -> TlsChoice.ACME;
                case FILES -> TlsChoice.FILES;
                default -> TlsChoice.SELF_SIGNED;
            });
            acmeEmail.set(c.tls().acmeEmail());
            context.certificates().current(c, context.dataDir()).ifPresent(i -> {
                existingCertificate.set(String.join(", ", i.names()) + (i.selfSigned() ? ", self-signed" : ", from " + i.issuer())
                        + ", " + i.daysLeft(java.time.Clock.systemUTC()) + " days left");
                tls.set(TlsChoice.KEEP); // a re-run changes the certificate only when asked to
            });
            acmeStaging.set(c.tls().acmeDirectory().contains("staging"));
            for (Config.Listener l : c.listeners()) {
                bind.set(l.address());
                switch (l.tls()) {
                    case STARTTLS, NONE -> smtpPort.set(String.valueOf(l.port()));
                    case REQUIRE -> submissionPort.set(String.valueOf(l.port()));
                    case IMPLICIT -> smtpsPort.set(String.valueOf(l.port()));
                }
            }
            loaded = new LoadedListeners(bind.get(), smtpPort.get(), submissionPort.get(), smtpsPort.get());
            existingUsers.addAll(new Passwd(context.dataDir()).users());
            existingUsers.forEach(u -> users.add(new UserDraft(u, null)));
            if (admin.get().isEmpty() && !users.isEmpty()) admin.set(users.get(0).name());
            Aliases.load(context.dataDir()).entries().forEach(e -> existingAliases.put(e.name(), e.targets()));
            for (UsualAlias a : usualAliases) {
                List<String> targets = existingAliases.get(a.name);
                a.wanted.set(targets != null);
                if (targets != null) a.target.set(String.join(", ", targets));
            }
        } catch (ConfigException | IOException e) {
            problem.set("The current configuration could not be read: " + BackgroundWork.describe(e));
        } catch (Aliases.Malformed e) {
            problem.set("The aliases could not be read: " + e.getMessage());
        }
    }

    static String guessHostname() {
        try {
            String n = InetAddress.getLocalHost().getCanonicalHostName().toLowerCase(Locale.ROOT);
            return HostNames.checkFqdn(n, "") == null && !n.startsWith("localhost") ? n : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Why the page cannot be left forward, or null. */
    public String check(int p) {
        return switch (p) {
            case HOST -> checkHost();
            case TLS -> checkTls();
            case USERS -> users.isEmpty() ? "Add at least one user: someone must receive postmaster@ and abuse@"
                    : admin.get() == null || admin.get().isEmpty() ? "Choose the admin (receives postmaster@ and abuse@)" : null;
            case ALIASES -> checkAliases();
            case DNS -> records.isEmpty() ? "The DNS records are still being prepared — a moment" : null;
            case WHERE -> onServer.get() ? deploy().check() : null;
            default -> null;
        };
    }

    private String checkHost() {
        String p = HostNames.checkFqdn(hostname.get(), "The hostname");
        if (p != null) return p;
        for (String d : HostNames.splitDomains(domains.get())) {
            p = HostNames.checkFqdn(d, "The domain");
            if (p != null) return p;
        }
        p = HostNames.checkIpv4(ipv4.get());
        if (p != null) return p;
        p = HostNames.checkIpv6(ipv6.get());
        if (p != null) return p;
        if (bind.get() == null || bind.get().isBlank()) return "Say which address to listen on (0.0.0.0 means every address)";
        List<Integer> ports = new ArrayList<>();
        for (StringProperty s : List.of(smtpPort, submissionPort, smtpsPort)) {
            int port;
            try {
                port = Integer.parseInt(s.get().strip());
            } catch (NumberFormatException e) {
                return "Ports are numbers from 1 to 65535 (\"" + s.get() + "\" is not)";
            }
            if (port < 1 || port > 65535) return "Port " + port + " is out of range: use 1 to 65535";
            if (ports.contains(port)) return "Port " + port + " is used twice: each listener needs its own port";
            ports.add(port);
        }
        return null;
    }

    private String checkAliases() {
        Set<String> names = new LinkedHashSet<>(existingAliases.keySet());
        usualAliases.stream().filter(a -> a.wanted.get()).forEach(a -> names.add(a.name));
        List<String> local = new ArrayList<>(HostNames.splitDomains(domains.get()));
        local.add(hostname.get().strip());
        var known = new AliasesViewModel.Names(new LinkedHashSet<>(users.stream().map(UserDraft::name).toList()), names, local);
        for (UsualAlias a : usualAliases) {
            String p = a.wanted.get() ? AliasesViewModel.problem(a.name, AliasesViewModel.targets(a.target.get()), known) : null;
            if (p != null) return a.name + "@: " + p;
        }
        return null;
    }

    /** The usual aliases as Finish writes them: those checked whose targets changed, and those unchecked to delete. */
    private List<Results.Alias> changedAliases() {
        List<Results.Alias> out = new ArrayList<>();
        for (UsualAlias a : usualAliases) {
            List<String> targets = AliasesViewModel.targets(a.target.get());
            if (a.wanted.get() && !targets.equals(existingAliases.get(a.name))) out.add(new Results.Alias(a.name, targets));
        }
        return out;
    }

    private List<String> removedAliases() {
        return usualAliases.stream().filter(a -> !a.wanted.get() && existingAliases.containsKey(a.name)).map(a -> a.name).toList();
    }

    private String checkTls() {
        return switch (tls.get()) {
            case ACME -> acmeEmail.get().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+") ? null
                    : "Let's Encrypt needs an email address for expiry warnings";
            case FILES -> {
                if (certFile.get().isBlank() || !Files.isReadable(Path.of(certFile.get().strip()))) {
                    yield "Choose a readable certificate file (fullchain.pem)";
                }
                if (keyFile.get().isBlank() || !Files.isReadable(Path.of(keyFile.get().strip()))) {
                    yield "Choose a readable private key file (privkey.pem)";
                }
                yield null;
            }
            case SELF_SIGNED, KEEP -> null;
        };
    }

    /** Whether leaving the TLS page must first ask "Replace the certificate in use?" (a re-run with one in use). */
    public boolean replacesCertificate() {
        return !existingCertificate.get().isEmpty() && tls.get() != TlsChoice.KEEP && !replaceConfirmed.get();
    }

    /** What the replacement confirmation says will happen. */
    String replacement() {
        String now = "The certificate in use (" + existingCertificate.get() + ") ";
        return switch (tls.get()) {
            case ACME -> now + "is replaced when Let's Encrypt issues the new one on Finish; until then, and if the order fails, it stays in use.";
            case SELF_SIGNED -> now + "is replaced on Finish by a new self-signed one, which other servers and mail apps do not trust.";
            case FILES -> now + "is replaced on Finish by your files.";
            case KEEP -> now + "stays.";
        };
    }

    public boolean next() {
        String p = check(page.get());
        problem.set(p == null ? "" : p);
        if (p != null || page.get() >= WHERE) return false;
        page.set(page.get() + 1);
        entered(page.get());
        return true;
    }

    public void back() {
        problem.set("");
        if (page.get() > HOST) page.set(page.get() - 1);
    }

    private void entered(int p) {
        if (p == DNS) prepareDns();
        if (p == SUMMARY) summary.set(summaryText());
    }

    /** Adds a user from the form fields; returns the problem, or null. */
    public String addUser() {
        String name = newUser.get() == null ? "" : newUser.get().strip().toLowerCase(Locale.ROOT);
        String p = Passwd.checkName(name);
        if (p == null && users.stream().anyMatch(u -> u.name().equals(name))) p = "there is already a user " + name;
        if (p == null) p = PasswordStrength.of(newPassword.get()).problem();
        if (p == null) p = PasswordFields.mismatch(newPassword.get(), newPasswordConfirm.get());
        if (p != null) {
            problem.set(capitalise(p));
            return p;
        }
        users.add(new UserDraft(name, newPassword.get()));
        if (admin.get() == null || admin.get().isEmpty()) admin.set(name);
        newUser.set("");
        newPassword.set("");
        newPasswordConfirm.set("");
        problem.set("");
        return null;
    }

    public void removeUser(UserDraft u) {
        users.remove(u);
        if (u.name().equals(admin.get())) admin.set(users.isEmpty() ? "" : users.get(0).name());
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The configuration Finish will write. */
    public Config draftConfig() {
        String host = hostname.get().strip().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        List<String> ds = HostNames.splitDomains(domains.get());
        if (ds.isEmpty()) ds = List.of(host);
        Config.TlsMode mode = switch (tls.get()) {
            case KEEP -> existing != null ? existing.tls().mode() : Config.TlsMode.SELF_SIGNED;
            case ACME -> Config.TlsMode.ACME;
            case FILES -> Config.TlsMode.FILES;
            case SELF_SIGNED -> Config.TlsMode.SELF_SIGNED;
        };
        List<Config.Listener> listeners = Defaults.listeners(bind.get().strip(), Integer.parseInt(smtpPort.get().strip()),
                Integer.parseInt(submissionPort.get().strip()), Integer.parseInt(smtpsPort.get().strip()));
        Config base = existing != null ? existing
                : Defaults.config(host, ds, listeners, mode, Config.DeliveryFormat.MAILDIR);
        if (existing != null && loaded != null) listeners = rerunListeners(existing.listeners());
        Config.Tls t = base.tls().withMode(mode).withAcmeEmail(acmeEmail.get().strip());
        // The page has only a staging checkbox: a directory it cannot show (a test CA, another provider) stays
        // unless the box was changed.
        boolean wasStaging = existing != null && existing.tls().acmeDirectory().contains("staging");
        if (existing == null || acmeStaging.get() != wasStaging) {
            t = t.withAcmeDirectory(acmeStaging.get() ? "letsencrypt-staging" : "letsencrypt");
        }
        return base.withHostname(host).withDomains(ds).withIp(ipv4.get().strip()).withIpv6(ipv6.get().strip())
                .withAdmin(admin.get() == null ? "" : admin.get()).withTls(t).withListeners(listeners);
    }

    /**
     * On a re-run the page shows one address and three ports; the existing listeners keep their tls and auth
     * settings and take the address and the port of their role (as loadExisting filled the page from them).
     */
    private List<Config.Listener> rerunListeners(List<Config.Listener> current) {
        List<Config.Listener> out = new ArrayList<>();
        for (Config.Listener l : current) {
            String port = switch (l.tls()) {
                case STARTTLS, NONE -> smtpPort.get();
                case REQUIRE -> submissionPort.get();
                case IMPLICIT -> smtpsPort.get();
            };
            String loadedPort = switch (l.tls()) {
                case STARTTLS, NONE -> loaded.smtpPort();
                case REQUIRE -> loaded.submissionPort();
                case IMPLICIT -> loaded.smtpsPort();
            };
            // Only what was changed on the page: two listeners on different addresses stay that way otherwise.
            if (!bind.get().strip().equals(loaded.bind())) l = l.withAddress(bind.get().strip());
            if (!port.strip().equals(loadedPort)) l = l.withPort(Integer.parseInt(port.strip()));
            out.add(l);
        }
        return out;
    }

    /** Generates the DKIM key (in a temporary directory, outside the data directory) and computes the records. */
    private void prepareDns() {
        Config draft = draftConfig();
        if (dkimKey != null) {
            showRecords(draft);
            return;
        }
        if (keyRequested) return;
        keyRequested = true;
        dnsStatus.set("Making a DKIM key…");
        context.work().run("Making the DKIM key", () -> {
            List<DkimKey> keys = DkimKeys.loadAll(context.dataDir().resolve("dkim"));
            if (!keys.isEmpty()) return keys.get(0);
            Path tmp = Files.createTempDirectory("mailwright-dkim");
            tmp.toFile().deleteOnExit();
            String selector = "mw" + YearMonth.now().format(DateTimeFormatter.ofPattern("yyyyMM"));
            DkimKey k = DkimKeys.generate(tmp, selector, KeyType.RSA);
            dkimKeyFile = tmp.resolve(selector + DkimKeys.KEY_SUFFIX);
            dkimKeyFile.toFile().deleteOnExit();
            return k;
        }, key -> {
            dkimKey = key;
            dnsStatus.set("Publish these records at your DNS provider. The PTR record is set where you rent the server.");
            showRecords(draftConfig());
            if (page.get() == DNS) problem.set("");
        }, failed -> {
            keyRequested = false;
            dnsStatus.set(failed);
        });
    }

    private void showRecords(Config draft) {
        generated = DnsRecords.of(draft, dkimKey == null ? List.of() : List.of(dkimKey));
        records.setAll(generated.records());
    }

    /** The zone text of `mailwright dns records` for the records shown (the text named-checkzone is tested on). */
    public String zoneFile() {
        return generated == null ? "" : generated.zone();
    }

    String summaryText() {
        Config c = draftConfig();
        StringBuilder b = new StringBuilder();
        b.append("Hostname:   ").append(c.hostname()).append('\n');
        b.append("Domains:    ").append(String.join(", ", c.domains())).append('\n');
        b.append("Public IP:  ").append(c.ip().isEmpty() ? "(none given)" : c.ip())
                .append(c.ipv6().isEmpty() ? "" : ", " + c.ipv6()).append('\n');
        b.append("TLS:        ").append(switch (tls.get()) {
            case KEEP -> "the certificate in use, kept (" + existingCertificate.get() + ")";
            case SELF_SIGNED -> "a self-signed certificate (other servers still encrypt; replace it later in TLS)";
            case FILES -> "your files " + certFile.get() + " and " + keyFile.get();
            case ACME -> "Let's Encrypt" + (acmeStaging.get() ? " (staging)" : "") + " for " + acmeEmail.get()
                    + " — Finish asks for it and shows each step; until it is issued "
                    + (existingCertificate.get().isEmpty() ? "a self-signed certificate is used" : "the certificate in use stays");
        }).append('\n');
        for (Config.Listener l : c.listeners()) {
            b.append("Listener:   ").append(l.address()).append(':').append(l.port()).append("  TLS ").append(l.tls().word())
                    .append(", AUTH ").append(l.auth().word()).append('\n');
        }
        b.append("Users:      ").append(String.join(", ", users.stream().map(UserDraft::name).toList()))
                .append("  (admin: ").append(admin.get()).append(")\n");
        List<String> aliases = usualAliases.stream().filter(a -> a.wanted.get())
                .map(a -> a.name + " → " + String.join(", ", AliasesViewModel.targets(a.target.get()))).toList();
        b.append("Aliases:    ").append(aliases.isEmpty() ? "none (postmaster@ and abuse@ reach the admin)" : String.join("; ", aliases)).append('\n');
        b.append("DNS:        ").append(records.size()).append(" records to publish\n\n");
        b.append("Finish writes ").append(context.dataDir().resolve("mailwright.conf")).append(", the passwd file,\n")
                .append(aliases.isEmpty() ? "" : "the aliases, ").append("the certificate and the DKIM key, then starts the engine.");
        return b.toString();
    }

    /** The deploy of the last page (made when first asked for: it reads the server list). */
    public DeployViewModel deploy() {
        if (deploy == null) {
            deploy = new DeployViewModel(context);
            // A reason given before the key was checked or confirmed is stale once it is.
            deploy.hostKey.addListener((o, a, b) -> problem.set(""));
            deploy.compared.addListener((o, a, b) -> problem.set(""));
        }
        return deploy;
    }

    /** What Finish writes (the pages checked). */
    SetupPlan plan() {
        List<String> removed = existingUsers.stream().filter(u -> users.stream().noneMatch(d -> d.name().equals(u))).toList();
        return new SetupPlan(draftConfig(), tls.get(),
                certFile.get().isBlank() ? null : Path.of(certFile.get().strip()),
                keyFile.get().isBlank() ? null : Path.of(keyFile.get().strip()), List.copyOf(users), removed,
                changedAliases(), removedAliases(), dkimKeyFile);
    }

    /**
     * Writes everything, then either starts the engine here ({@code done} gets null) or deploys to the server of the
     * last page ({@code done} gets the connection to attach to; the engine here is not started). {@code done} runs on
     * the FX thread; a failure stays on the page with its reason.
     */
    public void finish(java.util.function.Consumer<RemoteConnection> done) {
        String p = null;
        for (int i = HOST; i <= WHERE && p == null; i++) p = check(i);
        if (p != null) {
            problem.set(p);
            return;
        }
        problem.set("");
        SetupPlan plan = plan();
        finishing.set(true);
        finishStatus.set("Writing the configuration…");
        if (onServer.get()) {
            finishStatus.set("Deploying to " + deploy().target.get().strip() + "…");
            deploy().deploy(() -> {
                plan.apply(context.dataDir(), context.certificates());
                return null;
            }, connection -> {
                finishing.set(false);
                finishStatus.set("");
                done.accept(connection);
            }, failed -> {
                finishing.set(false);
                finishStatus.set("");
                problem.set(failed);
            });
            return;
        }
        boolean wasRunning = context.engine().engine() != null;
        context.work().run("Finishing the setup", () -> {
            if (wasRunning) context.engine().stopNow();
            plan.apply(context.dataDir(), context.certificates());
            return null;
        }, ok -> {
            finishStatus.set("Starting the engine…");
            if (wasRunning) context.engine().markStopped();
            context.engine().start();
            if (plan.tls() == TlsChoice.ACME) {
                letsEncrypt(done);
                return;
            }
            finishing.set(false);
            done.accept(null);
        }, failed -> {
            finishing.set(false);
            finishStatus.set("");
            problem.set(failed);
        });
    }

    /**
     * Let's Encrypt once the configuration is written and the engine runs: the TLS view's operation ({@code tlsAcme}
     * through the admin layer, as {@code mailwright tls acme}), its steps shown as they come. Issued, the engine
     * serves it from the next connection and the wizard closes; failed, the wizard stays with the reason in words.
     */
    private void letsEncrypt(java.util.function.Consumer<RemoteConnection> done) {
        org.mailwright.admin.Admin admin = context.admin();
        acmeSteps.start();
        finishStatus.set("Asking Let's Encrypt for a certificate…");
        context.work().run("Let's Encrypt", () -> {
            admin.tlsAcme(new Results.AcmeOptions(null, null, null, null), step -> {
                if (!step.isBlank()) javafx.application.Platform.runLater(() -> acmeSteps.heard(step));
            });
            var running = context.engine().engine();
            if (running != null && running.tls().isPresent()) running.tls().get().reload();
            return null;
        }, ok -> {
            acmeSteps.installed("the engine serves it");
            finishing.set(false);
            finishStatus.set("");
            done.accept(null);
        }, failed -> {
            finishing.set(false);
            finishStatus.set("");
            problem.set("Let's Encrypt: " + acmeSteps.failed(failed) + ". The setup is written and the engine runs with "
                    + (existingCertificate.get().isEmpty() ? "a self-signed certificate" : "the certificate in use")
                    + "; press Finish to try again, or choose another certificate on the TLS page (or later in TLS).");
        });
    }

    public IntegerProperty pageProperty() { return page; }
    public StringProperty problemProperty() { return problem; }
    public boolean rerun() { return rerun; }
    AppContext context() { return context; }
}
