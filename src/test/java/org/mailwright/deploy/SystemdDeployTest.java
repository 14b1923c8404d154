package org.mailwright.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/**
 * Deploy to a host whose PID 1 is a real systemd ({@link SystemdHost}: a debootstrapped Debian booted in its own PID
 * and mount namespaces, sshd inside on 127.0.7.10): the unit is installed and started, a redeploy restarts it with
 * systemctl, and a new engine that cannot bind its port is rolled back to the previous release under systemd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemdDeployTest {
    @TempDir static Path tmp;
    SystemdHost host;
    TestData local;
    Path knownHosts;
    Path jar;

    @BeforeAll
    void boot() throws Exception {
        Path shaded = Path.of("target", "mailwright.jar").toAbsolutePath();
        Path classes = Path.of("target", "classes", "org", "mailwright", "deploy", "Deployment.class");
        assertThat(Files.exists(shaded) && Files.getLastModifiedTime(shaded).compareTo(Files.getLastModifiedTime(classes)) >= 0)
                .as("the systemd host has only its own Java: build target/mailwright.jar first (mvn -B -q package -DskipTests)").isTrue();
        jar = shaded;
        host = SystemdHost.boot(tmp.resolve("host"), "127.0.7.10");
        System.out.println("systemd host: root ready in " + host.buildTime.toMillis() + " ms, booted to sshd in " + host.bootTime.toMillis() + " ms");
        local = new TestData(tmp.resolve("desk"), "mail.example.org", "example.org", "127.0.7.11");
        local.user("alice", "correct horse battery");
        knownHosts = tmp.resolve("known_hosts");
    }

    @AfterAll
    void stop() throws Exception {
        if (host != null) host.close();
    }

    Deployment.Request request(String accept) {
        return new Deployment.Request(host.target(), host.clientKey, null, "", knownHosts, accept, local.dir, jar);
    }

    private SshConnection.Result remote(String command) throws Exception {
        try (SshConnection ssh = SshConnection.open(host.target(), host.clientKey, null, new HostKeys(knownHosts, host.target(), ""))) {
            return ssh.exec(command, Duration.ofSeconds(60));
        }
    }

    private String mainPid() throws Exception {
        return remote("systemctl show -p MainPID --value mailwright.service").out().strip();
    }

    private Path mailbox() {
        return host.root.resolve("opt/mailwright/data/mail/alice/new");
    }

    private void deliver(String body, int expected) throws Exception {
        Peers.Result sent = Peers.swaks("--server", "127.0.7.11:" + local.smtp, "--from", "bob@example.net", "--to", "alice@example.org", "--body", body);
        assertThat(sent.exit()).as(sent.out()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> count(mailbox()) == expected);
    }

    @Test
    @Order(1)
    void deployInstallsAndStartsTheUnit() throws Exception {
        List<String> steps = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        Deployment.Report r = new Deployment(request(host.fingerprint())).run((s, m) -> steps.add(log(s + " " + m)));
        System.out.println("first deploy under systemd: " + (System.nanoTime() - t0) / 1_000_000 + " ms");

        assertThat(r.mode()).isEqualTo(Deployment.ServiceMode.SYSTEMD);
        assertThat(r.remoteDir()).isEqualTo("/opt/mailwright");
        assertThat(r.banner()).startsWith("220 mail.example.org");
        assertThat(remote("systemctl is-active mailwright").out().strip()).isEqualTo("active");
        assertThat(remote("systemctl is-enabled mailwright").out().strip()).isEqualTo("enabled");
        // The unit runs the engine as the service user with exactly the options of jvm.options.
        String unit = Files.readString(host.root.resolve("etc/systemd/system/mailwright.service"));
        String java = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        assertThat(java).contains(" " + String.join(" ", JvmOptions.bundled()) + " -jar /opt/mailwright/mailwright.jar");
        assertThat(Files.readString(host.root.resolve("opt/mailwright/jvm.options"))).isEqualTo(JvmOptions.bundledText());
        String pid = mainPid();
        assertThat(remote("tr '\\0' ' ' < /proc/" + pid + "/cmdline").out()).as("the running engine's command line, seen inside")
                .contains(String.join(" ", JvmOptions.bundled()) + " -jar /opt/mailwright/mailwright.jar");
        assertThat(remote("ps -o user= -p " + pid).out().strip()).isEqualTo("mailwright");
        assertThat(host.root.resolve("opt/mailwright/previous")).doesNotExist();

        deliver("hello systemd", 1);
    }

    @Test
    @Order(2)
    void redeployRestartsTheUnitWithSystemctl() throws Exception {
        String before = mainPid();
        List<String> steps = Collections.synchronizedList(new ArrayList<>());
        Deployment.Report r = new Deployment(request("")).run((s, m) -> steps.add(log(s + " " + m)));

        assertThat(r.upgrade()).isTrue();
        assertThat(String.join("\n", steps)).contains("Stopped the previous engine (mailwright.service) cleanly").contains("held by the running Mailwright");
        String after = mainPid();
        assertThat(after).isNotEqualTo(before).isNotEqualTo("0");
        assertThat(remote("systemctl is-active mailwright").out().strip()).isEqualTo("active");
        assertThat(remote("journalctl -u mailwright -o cat --no-pager").out()).contains("Mailwright mail.example.org is running");
        deliver("after the restart", 2);
    }

    @Test
    @Order(3)
    void anEngineThatCannotBindIsRolledBackUnderSystemd() throws Exception {
        String pidBefore = mainPid();
        String unitBefore = Files.readString(host.root.resolve("etc/systemd/system/mailwright.service"));
        Path conf = local.dir.resolve("mailwright.conf");
        String confBefore = Files.readString(conf);
        String remoteConfBefore = Files.readString(host.root.resolve("opt/mailwright/data/mailwright.conf"));
        int late = TestData.freePort();
        ServerSocket[] grabbed = new ServerSocket[1];
        List<String> steps = Collections.synchronizedList(new ArrayList<>());
        try {
            int start = confBefore.indexOf("[[listen]]");
            String block = confBefore.substring(start, confBefore.indexOf("\n\n", start) + 2).replaceAll("(?m)^port = .*$", "port = " + late);
            Files.writeString(conf, confBefore.substring(0, start) + block + confBefore.substring(start));
            assertThatThrownBy(() -> new Deployment(request("")).run((s, m) -> {
                steps.add(log(s + " " + m));
                if (s == Deployment.Step.INSTALL && grabbed[0] == null) {
                    try {
                        grabbed[0] = new ServerSocket(late, 5, InetAddress.getByName("127.0.7.11")); // shared network: seen inside too
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            })).isInstanceOf(DeployException.class)
                    .hasMessageStartingWith("port " + late + " on 127.0.7.11 could not be bound: the port is already in use")
                    .hasMessageContaining("the previous release was restored and is running (it answers: 220 mail.example.org");
        } finally {
            Files.writeString(conf, confBefore);
            if (grabbed[0] != null) grabbed[0].close();
        }
        assertThat(remote("systemctl is-active mailwright").out().strip()).isEqualTo("active");
        assertThat(mainPid()).isNotEqualTo(pidBefore);
        assertThat(Files.readString(host.root.resolve("etc/systemd/system/mailwright.service"))).isEqualTo(unitBefore);
        assertThat(Files.readString(host.root.resolve("opt/mailwright/data/mailwright.conf"))).isEqualTo(remoteConfBefore);
        assertThat(host.root.resolve("opt/mailwright/previous")).doesNotExist();
        try (Stream<Path> s = Files.list(host.root.resolve("opt"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("mailwright");
        }
        deliver("after the rollback", 3);
    }

    private static String log(String line) {
        System.out.println(java.time.Instant.now() + " " + line);
        return line;
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
