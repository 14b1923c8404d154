package org.mailwright.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/**
 * The packages as a user meets them: {@code installer/build.sh} builds the app-image and both .deb files once,
 * then each package is installed with {@code dpkg -i} on this machine, run, removed and purged — and the mail in
 * {@code /var/lib/mailwright} and {@code ~/.mailwright} must survive. Installs into the real system, so it runs
 * as root on a throwaway machine (CI) and only with {@code mvn -B -Pinstaller verify}; a missing tool fails it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallerIT {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final Path OUT = REPO.resolve("target/installer");
    static final Path IMAGE_LAUNCHER = OUT.resolve("mailwright/bin/mailwright");
    static final String VERSION = System.getProperty("mailwright.version", "0.1.0");
    static final Path DATA = Path.of("/var/lib/mailwright");
    static final Path UNIT = Path.of("/lib/systemd/system/mailwright.service");
    static final String DESKTOP_USER = "mwdesktoptest";
    static final Path DESKTOP_HOME = Path.of("/tmp/mailwright-installer-it-home");
    static final String PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    record Ran(int exit, String out) {}

    boolean dataExistedBefore;
    boolean userExistedBefore;
    /** Postfix's .deb (this machine's version), when it was removed to make room for mailwright-server. */
    Path postfixDeb;
    boolean postfixRemoved;
    final List<Process> started = new ArrayList<>();

    @BeforeAll
    void buildThePackagesOnce() throws Exception {
        for (String[] tool : new String[][] {{"dpkg", "dpkg"}, {"dpkg-deb", "dpkg"}, {"update-alternatives", "dpkg"},
                {"fakeroot", "fakeroot"}, {"objdump", "binutils"}, {"systemd-analyze", "systemd"}, {"setpriv", "util-linux"},
                {"runuser", "util-linux"}, {"useradd", "passwd"}, {"adduser", "adduser"}, {"xdg-desktop-menu", "xdg-utils"},
                {"swaks", "swaks"}}) {
            Peers.require(tool[0], tool[1]);
        }
        Path jpackage = Path.of(System.getProperty("java.home"), "bin", "jpackage");
        assertThat(jpackage).as("jpackage comes with JDK 17: apt-get install -y openjdk-17-jdk-headless").isExecutable();
        assertThat(System.getProperty("user.name"))
                .as("this test installs packages with dpkg -i: run it as root on a throwaway machine, as CI does").isEqualTo("root");
        for (String pkg : List.of("mailwright", "mailwright-server")) {
            assertThat(run("dpkg-query", "-W", "-f=${Status}", pkg).out())
                    .as(pkg + " is installed on this machine; this test installs and purges it — remove it first (dpkg -r " + pkg + ")")
                    .doesNotContain("install ok installed");
        }
        dataExistedBefore = Files.exists(DATA);
        userExistedBefore = run("getent", "passwd", "mailwright").exit() == 0;
        assertThat(REPO.resolve("target/mailwright.jar")).as("mvn package makes the jar before this test").exists();

        long start = System.nanoTime();
        Ran build = run(Map.of("MAILWRIGHT_INSTALLER_NO_MAVEN", "1"), null, 900, "bash", "installer/build.sh", "--fast");
        Files.writeString(REPO.resolve("target/installer-build.log"), build.out());
        assertThat(build.exit()).as("installer/build.sh --fast:\n" + build.out()).isZero();
        System.out.printf("installer/build.sh --fast took %d s%n%s%n", (System.nanoTime() - start) / 1_000_000_000L, build.out());
    }

    @Test
    @Order(1)
    void appImageRunsOnItsOwnRuntime() throws Exception {
        // No JAVA_HOME, no JDK on PATH: the launcher must find the runtime inside the image.
        Ran version = run(Map.of("PATH", "/usr/sbin:/sbin", "JAVA_HOME", "/nonexistent"), null, 60, IMAGE_LAUNCHER.toString(), "--version");
        assertThat(version.exit()).as(version.out()).isZero();
        assertThat(version.out().strip()).isEqualTo("mailwright " + VERSION);
        assertThat(OUT.resolve("mailwright/lib/runtime/lib/server/libjvm.so")).exists();
        String release = Files.readString(OUT.resolve("mailwright/lib/runtime/release"));
        for (String module : List.of("jdk.net", "java.net.http", "java.naming", "jdk.naming.dns", "jdk.crypto.ec", "jdk.unsupported", "jdk.charsets", "java.sql")) {
            assertThat(release).as("modules of the trimmed runtime").contains(module);
        }
    }

    @Test
    @Order(2)
    void appImageEngineTalksTlsAndAuthOnTheTrimmedRuntime() throws Exception {
        Path data = Files.createTempDirectory("mailwright-installer-it");
        int smtp = TestData.freePort(), submission = TestData.freePort(), smtps = TestData.freePort();
        String mw = IMAGE_LAUNCHER.toString();
        assertSucceeds(run(mw, "--data", data.toString(), "init", "--hostname", "mail.installer.test", "--domain", "installer.test",
                "--bind", "127.0.8.1", "--smtp-port", "" + smtp, "--submission-port", "" + submission, "--smtps-port", "" + smtps));
        assertSucceeds(run(Map.of(), "s3cret-for-alice\n", 60, mw, "--data", data.toString(), "user", "add", "alice", "--password-stdin"));
        Path log = data.resolve("serve.out");
        Process serve = start(Map.of(), log, mw, "--data", data.toString(), "serve");
        awaitOutput(serve, log, "127.0.8.1:" + smtp);

        // STARTTLS with an ECDHE suite (jdk.crypto.ec) on 25, AUTH over TLS with bcrypt on 587.
        assertSucceeds(Peers.swaks("--server", "127.0.8.1:" + smtp, "--tls", "--ehlo", "client.test",
                "--from", "bob@example.net", "--to", "alice@installer.test"));
        assertSucceeds(Peers.swaks("--server", "127.0.8.1:" + submission, "--tls", "--auth", "PLAIN", "--auth-user", "alice",
                "--auth-password", "s3cret-for-alice", "--from", "alice@installer.test", "--to", "alice@installer.test"));
        awaitFiles(data.resolve("mail/alice/new"), 2);
        stop(serve);
    }

    @Test
    @Order(3)
    void serverPackageInstallsTheCommandTheUserAndTheDataDirectory() throws Exception {
        assertThat(run("dpkg-deb", "-f", serverDeb().toString(), "Provides", "Conflicts", "Replaces").out())
                .contains("Provides: mail-transport-agent", "Conflicts: mail-transport-agent", "Replaces: mail-transport-agent");
        makeRoomForAnotherMta();
        Ran install = dpkg("-i", serverDeb().toString());
        assertThat(install.exit()).as("dpkg -i " + serverDeb() + "\n" + install.out()).isZero();
        assertThat(install.out()).contains("init --hostname").contains("systemctl enable --now mailwright");

        assertThat(run("getent", "passwd", "mailwright").out()).contains(":/var/lib/mailwright:").contains("nologin");
        assertThat(Files.getOwner(DATA).getName()).isEqualTo("mailwright");
        // enter, not list: other users reach the submission socket inside, and nothing else
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(DATA))).isEqualTo("rwx--x--x");
        for (String f : List.of("/usr/sbin/sendmail", "/usr/bin/mailq", "/usr/bin/newaliases", "/usr/lib/sendmail")) {
            assertThat(run("dpkg", "-S", f).out()).as(f).startsWith("mailwright-server: ");
        }
        assertThat(Path.of("/usr/lib/sendmail").toRealPath()).isEqualTo(Path.of("/usr/sbin/sendmail"));
        Ran newaliases = run(Map.of("PATH", PATH_ENV), null, 30, "newaliases");
        assertThat(newaliases.exit()).as(newaliases.out()).isZero();
        assertThat(newaliases.out()).contains("/var/lib/mailwright/aliases");

        Ran version = run(Map.of("PATH", PATH_ENV), null, 60, "sh", "-c", "mailwright --version");
        assertThat(version.out().strip()).isEqualTo("mailwright " + VERSION);
        assertThat(Path.of("/usr/bin/mailwright").toRealPath()).isEqualTo(Path.of("/usr/lib/mailwright/bin/mailwright"));
        // The unit runs /usr/bin/mailwright, whose launcher configuration carries exactly installer/jvm.options.
        List<String> jvmOptions = org.mailwright.deploy.JvmOptions.parse(Files.readString(Path.of("installer", "jvm.options")));
        assertThat(Files.readString(Path.of("/usr/lib/mailwright/jvm.options"))).isEqualTo(Files.readString(Path.of("installer", "jvm.options")));
        assertThat(Files.readAllLines(Path.of("/usr/lib/mailwright/lib/app/mailwright.cfg")).stream()
                .filter(l -> l.startsWith("java-options=")).map(l -> l.substring("java-options=".length())).toList())
                .containsSequence(jvmOptions);

        String unit = Files.readString(UNIT);
        assertThat(unit).contains("\nUser=mailwright\n", "\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n", "\nRestart=on-failure\n",
                "\nExecStart=/usr/bin/mailwright --data /var/lib/mailwright serve\n", "\nProtectSystem=strict\n", "\nNoNewPrivileges=yes\n");
        Ran verify = run("systemd-analyze", "verify", UNIT.toString());
        assertThat(verify.exit()).as("systemd-analyze verify " + UNIT + "\n" + verify.out()).isZero();
        assertThat(verify.out()).as("systemd-analyze verify has no complaint about the unit").doesNotContain("mailwright.service");
    }

    @Test
    @Order(4)
    void serverFirstServeWithoutConfigSaysHowToCreateIt() throws Exception {
        String asService = Files.isExecutable(Path.of("/usr/bin/sudo")) ? "sudo -u mailwright " : "runuser -u mailwright -- ";
        String hint = asService + "mailwright --data /var/lib/mailwright init --hostname";

        // What the journal shows when the service starts before `init`: systemd sets INVOCATION_ID.
        Ran asUnit = run(Map.of("PATH", PATH_ENV, "INVOCATION_ID", "0123456789abcdef"), null, 60,
                "runuser", "-u", "mailwright", "--", "env", "INVOCATION_ID=0123456789abcdef", "/usr/bin/mailwright", "--data", "/var/lib/mailwright", "serve");
        assertThat(asUnit.exit()).as(asUnit.out()).isEqualTo(1);
        assertThat(asUnit.out()).contains("mailwright.conf: not found in /var/lib/mailwright").contains(hint);

        // What root sees when trying `serve` by hand.
        Ran asRoot = run(Map.of("PATH", PATH_ENV), null, 60, "sh", "-c", "mailwright --data /var/lib/mailwright serve");
        assertThat(asRoot.exit()).as(asRoot.out()).isEqualTo(1);
        assertThat(asRoot.out()).contains("mailwright.conf: not found in /var/lib/mailwright").contains(hint);
    }

    @Test
    @Order(5)
    void unitsCommandRunsAsMailwrightOnPort25WithOnlyTheAmbientCapability() throws Exception {
        int submission = TestData.freePort(), smtps = TestData.freePort();
        // The hint, followed as printed.
        assertSucceeds(run(Map.of("PATH", PATH_ENV), null, 60, "runuser", "-u", "mailwright", "--", "mailwright", "--data", "/var/lib/mailwright",
                "init", "--hostname", "mail.installer.test", "--domain", "installer.test", "--bind", "127.0.8.2",
                "--smtp-port", "25", "--submission-port", "" + submission, "--smtps-port", "" + smtps));
        assertSucceeds(run(Map.of("PATH", PATH_ENV), "s3cret-for-alice\n", 60, "runuser", "-u", "mailwright", "--", "mailwright",
                "--data", "/var/lib/mailwright", "user", "add", "alice", "--password-stdin"));

        // ExecStart as systemd runs it: User=mailwright, AmbientCapabilities=CAP_NET_BIND_SERVICE, no other capability.
        String execStart = Files.readAllLines(UNIT).stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring(10);
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=mailwright", "--regid=mailwright", "--init-groups",
                "--inh-caps=-all,+net_bind_service", "--ambient-caps=+net_bind_service", "--bounding-set=-all,+net_bind_service", "--"));
        command.addAll(Arrays.asList(execStart.split(" ")));
        Path log = Files.createTempFile("mailwright-service", ".out");
        Process service = start(Map.of("LANG", "C.UTF-8"), log, command.toArray(String[]::new));
        awaitOutput(service, log, "127.0.8.2:25");
        assertSucceeds(Peers.swaks("--server", "127.0.8.2:25", "--tls", "--ehlo", "client.test",
                "--from", "bob@example.net", "--to", "alice@installer.test"));
        awaitFiles(DATA.resolve("mail/alice/new"), 1);

        // `mail` the Unix way: s-nail runs /usr/sbin/sendmail from the package, as an ordinary user and as root
        String snail = Peers.require("s-nail", "s-nail");
        Ran mail = run(Map.of("PATH", PATH_ENV), "written with s-nail by nobody\n", 90, "runuser", "-u", "nobody", "--",
                "env", "HOME=/tmp", snail, "-:/", "-Ssendwait", "-s", "hello from nobody", "-r", "alice@installer.test", "alice");
        assertThat(mail.exit()).as(mail.out()).isZero();
        awaitFiles(DATA.resolve("mail/alice/new"), 2);
        String byNobody = delivered("hello from nobody");
        assertThat(byNobody).as("the engine names the Unix user, whatever -r (-f) says")
                .contains("Return-Path: <nobody@mail.installer.test>", "Received: from local user nobody", "written with s-nail by nobody");
        mail = run(Map.of("PATH", PATH_ENV), "written with s-nail by root\n", 90, "env", "HOME=/tmp", snail, "-:/", "-Ssendwait",
                "-s", "hello from root", "alice");
        assertThat(mail.exit()).as(mail.out()).isZero();
        awaitFiles(DATA.resolve("mail/alice/new"), 3);
        assertThat(delivered("hello from root")).contains("Return-Path: <root@mail.installer.test>", "Received: from local user root");
        Ran mailq = run(Map.of("PATH", PATH_ENV), null, 60, "mailq");
        assertThat(mailq.exit()).as(mailq.out()).isZero();
        Ran mailqNobody = run(Map.of("PATH", PATH_ENV), null, 60, "runuser", "-u", "nobody", "--", "mailq");
        assertThat(mailqNobody.exit()).isEqualTo(1);
        assertThat(mailqNobody.out()).contains("only root and the mailwright user");
        stop(service);

        // the engine stopped: an ordinary user is told to try later (EX_TEMPFAIL), nothing is queued
        Ran later = run(Map.of("PATH", PATH_ENV), "Subject: later\n\nx\n", 90, "runuser", "-u", "nobody", "--", "/usr/sbin/sendmail", "alice");
        assertThat(later.exit()).as(later.out()).isEqualTo(75);
        assertThat(later.out()).contains("engine is not running");
    }

    /** The delivered message in alice's Maildir whose text contains {@code needle}. */
    static String delivered(String needle) throws IOException {
        try (Stream<Path> files = Files.list(DATA.resolve("mail/alice/new"))) {
            for (Path f : files.toList()) {
                String m = Files.readString(f, StandardCharsets.ISO_8859_1);
                if (m.contains(needle)) return m;
            }
        }
        throw new AssertionError("no message with \"" + needle + "\" in " + DATA.resolve("mail/alice/new"));
    }

    @Test
    @Order(6)
    void removingOrPurgingTheServerPackageKeepsTheMail() throws Exception {
        Ran remove = dpkg("-r", "mailwright-server");
        assertThat(remove.exit()).as(remove.out()).isZero();
        assertThat(remove.out()).contains("stay in /var/lib/mailwright");
        assertThat(Path.of("/usr/lib/mailwright")).doesNotExist();
        assertThat(Files.exists(Path.of("/usr/bin/mailwright"), LinkOption.NOFOLLOW_LINKS)).as("/usr/bin/mailwright after dpkg -r").isFalse();
        assertDataKept();

        Ran purge = dpkg("-P", "mailwright-server");
        assertThat(purge.exit()).as(purge.out()).isZero();
        assertThat(purge.out()).contains("/var/lib/mailwright is kept on purpose");
        assertThat(UNIT).doesNotExist();
        assertDataKept();
        restorePostfix();
    }

    /**
     * mailwright-server conflicts with every other MTA (it provides mail-transport-agent): where CI's Postfix is
     * installed, it is removed (configuration kept) for the server package's tests — after its .deb, this very
     * version, is in hand to put it back — and reinstalled as soon as the server package is purged (or in
     * {@link #cleanUp()} when a test failed first). Later tests find Postfix as it was.
     */
    void makeRoomForAnotherMta() throws Exception {
        String version = run("dpkg-query", "-W", "-f=${Status} ${Version}", "postfix").out();
        if (!version.startsWith("install ok installed ")) return;
        version = version.substring("install ok installed ".length()).strip();
        Path dir = Files.createTempDirectory("installer-it-postfix");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // apt-get download runs as _apt
        Ran download = run(Map.of(), null, 120, "sh", "-c", "cd " + dir + " && apt-get download postfix=" + version);
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> got = Files.list(dir)) {
            got.filter(p -> p.getFileName().toString().endsWith(".deb")).forEach(candidates::add);
        }
        try (Stream<Path> cached = Files.list(Path.of("/var/cache/apt/archives"))) {
            cached.filter(p -> p.getFileName().toString().startsWith("postfix_") && p.toString().endsWith(".deb")).forEach(candidates::add);
        } catch (IOException noCache) {
            // the apt cache is cleaned on some images
        }
        for (Path c : candidates) {
            if (run("dpkg-deb", "-f", c.toString(), "Version").out().strip().equals(version)) {
                postfixDeb = c;
                break;
            }
        }
        assertThat(postfixDeb).as("postfix " + version + " must be at hand to reinstall it before it is removed for mailwright-server "
                + "(apt-get download postfix said: " + download.out().strip() + ")").isNotNull();
        Ran remove = dpkg("-r", "--force-depends", "postfix");
        assertThat(remove.exit()).as("dpkg -r postfix\n" + remove.out()).isZero();
        postfixRemoved = true;
    }

    void restorePostfix() throws Exception {
        if (!postfixRemoved) return;
        // As Debian's images do: a policy-rc.d that exits 101 keeps the package from starting a system Postfix.
        Path policy = Path.of("/usr/sbin/policy-rc.d");
        boolean madePolicy = !Files.exists(policy);
        if (madePolicy) {
            Files.writeString(policy, "#!/bin/sh\nexit 101\n");
            Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try {
            Ran install = run(Map.of("DEBIAN_FRONTEND", "noninteractive"), null, 300, "dpkg", "-i", postfixDeb.toString());
            assertThat(install.exit()).as("reinstalling postfix: dpkg -i " + postfixDeb + "\n" + install.out()).isZero();
            postfixRemoved = false;
        } finally {
            if (madePolicy) Files.deleteIfExists(policy);
        }
        assertThat(run("dpkg", "-S", "/usr/sbin/sendmail").out()).startsWith("postfix: ");
    }

    @Test
    @Order(7)
    void desktopPackageHasAMenuEntryAnIconAndTheCommand() throws Exception {
        Ran install = dpkg("-i", desktopDeb().toString());
        assertThat(install.exit()).as("dpkg -i " + desktopDeb() + "\n" + install.out()).isZero();
        assertThat(run("dpkg-query", "-W", "-f=${Depends}", "mailwright").out()).contains("libgtk-3-0").contains("libgl1");

        Path entry = Path.of("/usr/share/applications/mailwright-mailwright.desktop");
        List<String> lines = Files.readAllLines(entry);
        assertThat(lines).contains("Exec=/opt/mailwright/bin/mailwright", "Name=Mailwright", "Type=Application");
        Path icon = Path.of(lines.stream().filter(l -> l.startsWith("Icon=")).findFirst().orElseThrow().substring(5));
        byte[] png = Files.readAllBytes(icon);
        assertThat(Arrays.copyOf(png, 4)).as("the icon is a PNG").isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G'});

        Ran version = run(Map.of("PATH", PATH_ENV), null, 60, "sh", "-c", "mailwright --version");
        assertThat(version.out().strip()).isEqualTo("mailwright " + VERSION);
    }

    @Test
    @Order(8)
    void desktopFirstRunStartsFromTheMenuCommandWithDataInTheUsersHome() throws Exception {
        if (run("getent", "passwd", DESKTOP_USER).exit() != 0) {
            assertSucceeds(run("useradd", "--create-home", "--home-dir", DESKTOP_HOME.toString(), "--shell", "/bin/sh", DESKTOP_USER));
        }
        String exec = Files.readAllLines(Path.of("/usr/share/applications/mailwright-mailwright.desktop")).stream()
                .filter(l -> l.startsWith("Exec=")).findFirst().orElseThrow().substring(5);
        // A menu click as that user, on a machine without a display: today the headless first run (the GUI's
        // wizard when a display is there); either way no arguments, and the data directory in the user's home.
        List<String> command = new ArrayList<>(List.of("runuser", "-u", DESKTOP_USER, "--", "env", "-u", "DISPLAY", "-u", "WAYLAND_DISPLAY",
                "-u", "MAILWRIGHT_HOME", "PATH=" + PATH_ENV));
        command.addAll(Arrays.asList(exec.split(" ")));
        Path log = Files.createTempFile("mailwright-desktop", ".out");
        Process app = start(Map.of(), log, command.toArray(String[]::new));
        awaitOutput(app, log, "for every command."); // the summary's last line
        String out = Files.readString(log);
        Path home = DESKTOP_HOME.resolve(".mailwright");
        assertThat(out).contains("data directory: " + home);
        assertThat(home.resolve("mailwright.conf")).exists();
        assertThat(out).as("hints name the installed command").contains("| mailwright sendmail").doesNotContain("java -jar");
        stop(app);
    }

    @Test
    @Order(9)
    void removingTheDesktopPackageKeepsTheUsersData() throws Exception {
        Ran remove = dpkg("-r", "mailwright");
        assertThat(remove.exit()).as(remove.out()).isZero();
        assertThat(Path.of("/opt/mailwright")).doesNotExist();
        assertThat(Path.of("/usr/share/applications/mailwright-mailwright.desktop")).doesNotExist();
        assertThat(Files.exists(Path.of("/usr/bin/mailwright"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(DESKTOP_HOME.resolve(".mailwright/mailwright.conf")).exists();
        assertThat(dpkg("-P", "mailwright").exit()).isZero();
    }

    @AfterAll
    void cleanUp() throws Exception {
        for (Process p : started) stop(p);
        dpkg("-P", "mailwright", "mailwright-server");
        restorePostfix();
        if (run("getent", "passwd", DESKTOP_USER).exit() == 0) run("userdel", "--remove", DESKTOP_USER);
        run("rm", "-rf", DESKTOP_HOME.toString());
        // What this test made, it takes away; a machine's own data directory and user stay.
        if (!dataExistedBefore) run("rm", "-rf", DATA.toString());
        if (!userExistedBefore) {
            run("userdel", "mailwright");
            run("groupdel", "mailwright");
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    static Path serverDeb() {
        return OUT.resolve("mailwright-server_" + VERSION + "-1_" + arch() + ".deb");
    }

    static Path desktopDeb() {
        return OUT.resolve("mailwright_" + VERSION + "-1_" + arch() + ".deb");
    }

    static String arch() {
        try {
            return run("dpkg", "--print-architecture").out().strip();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void assertDataKept() throws IOException {
        assertThat(DATA.resolve("mailwright.conf")).as("the configuration survives").exists();
        try (Stream<Path> mail = Files.list(DATA.resolve("mail/alice/new"))) {
            assertThat(mail.count()).as("the delivered mail survives (swaks, s-nail as nobody and as root)").isEqualTo(3);
        }
        assertThat(Files.getOwner(DATA).getName()).isEqualTo("mailwright");
    }

    static void assertSucceeds(Ran r) {
        assertThat(r.exit()).as(r.out()).isZero();
    }

    static void assertSucceeds(Peers.Result r) {
        assertThat(r.exit()).as(r.out()).isZero();
    }

    /** dpkg, waiting while another apt-get or dpkg holds the lock (a developer's machine is shared). */
    static Ran dpkg(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("dpkg"));
        command.addAll(List.of(args));
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            Ran r = run(command.toArray(String[]::new));
            boolean locked = r.exit() != 0 && (r.out().contains("lock was locked") || r.out().contains("database is locked"));
            if (!locked || System.nanoTime() > deadline) return r;
            Thread.sleep(2000);
        }
    }

    static Ran run(String... command) throws IOException, InterruptedException {
        return run(Map.of(), null, 120, command);
    }

    /** Runs a command to its end (at most {@code timeoutSeconds}), stdout and stderr together. */
    static Ran run(Map<String, String> env, String stdin, int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("installer-it", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n" + Files.readString(out));
            }
            return new Ran(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    Process start(Map<String, String> env, Path log, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    static void awaitOutput(Process p, Path log, String needle) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(needle)) return;
            if (!p.isAlive()) fail("exited with " + p.exitValue() + " before printing \"" + needle + "\":\n" + Files.readString(log));
            Thread.sleep(200);
        }
        fail("no \"" + needle + "\" within 90 s:\n" + Files.readString(log));
    }

    static void awaitFiles(Path dir, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long found = 0;
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    found = files.count();
                }
                if (found >= count) return;
            }
            Thread.sleep(200);
        }
        fail("expected " + count + " messages in " + dir + ", found " + found);
    }

    /** SIGTERM, as systemd stops a service, then waits for the clean stop. */
    static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) return;
        p.toHandle().descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
