package org.mailwright.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.control.EnvelopeInfo;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/**
 * Deploys to a real OpenSSH server on 127.0.7.1 whose "remote dir" is a temp directory on this machine; the
 * remote engine listens on 127.0.7.2. The tests run in order: refused host keys, first deploy, remote queue,
 * upgrade with a queued message, cancel, changed host key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployTest {
    @TempDir static Path tmp;
    SshServer ssh;
    TestData local;
    Path knownHosts;
    Path remoteDir;
    Path jar;

    @BeforeAll
    void startSshServer() throws Exception {
        ssh = SshServer.start(tmp.resolve("sshd"), "127.0.7.1");
        local = new TestData(tmp.resolve("desk"), "mail.example.org", "example.org", "127.0.7.2");
        local.user("alice", "correct horse battery");
        knownHosts = tmp.resolve("known_hosts");
        remoteDir = tmp.resolve("remote").resolve("mailwright");
        jar = SshServer.jarToDeploy(tmp);
    }

    @AfterAll
    void stop() throws Exception {
        SshServer.stopDeployedEngine(remoteDir);
        if (ssh != null) ssh.close();
    }

    Deployment.Request request(String acceptHostKey) {
        return new Deployment.Request(ssh.target(), ssh.clientKey, null, remoteDir.toString(), knownHosts, acceptHostKey, local.dir, jar);
    }

    @Test
    @Order(1)
    void unknownHostKeyIsRefusedWithItsFingerprint() throws Exception {
        String fingerprint = ssh.fingerprint();
        assertThatThrownBy(() -> new Deployment(request("")).run(Deployment.Progress.NONE))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("is not in " + knownHosts)
                .hasMessageContaining(fingerprint)
                .hasMessageContaining("--accept-host-key " + fingerprint);
        assertThatThrownBy(() -> new Deployment(request("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).run(Deployment.Progress.NONE))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("does not match");
        assertThat(knownHosts).doesNotExist();
        assertThat(remoteDir.getParent()).doesNotExist();
    }

    @Test
    @Order(2)
    void deployWithConfirmedKeyRunsTheEngineThere() throws Exception {
        List<String> steps = Collections.synchronizedList(new ArrayList<>());
        Path conf = local.dir.resolve("mailwright.conf");
        Files.writeString(conf, "# The desk's own note: the server's file keeps it.\n" + Files.readString(conf));
        Deployment.Report report = new Deployment(request(ssh.fingerprint())).run((step, message) -> steps.add(step + " " + log(message)));

        assertThat(report.banner()).startsWith("220 mail.example.org");
        assertThat(report.upgrade()).isFalse();
        assertThat(report.mode()).isEqualTo(Deployment.ServiceMode.NOHUP); // no systemd as PID 1 here
        assertThat(steps.stream().map(s -> s.substring(0, s.indexOf(' '))).distinct().toList())
                .containsExactly("CONNECT", "CHECK", "UPLOAD", "VALIDATE", "INSTALL", "VERIFY");
        assertThat(String.join("\n", steps)).contains("Java 17").contains("Port 127.0.7.2:" + local.smtp + ": free");
        assertThat(Files.readString(knownHosts)).startsWith("[127.0.7.1]:" + ssh.port + " ssh-ed25519 ");

        Path data = remoteDir.resolve("data");
        assertThat(mode(data.resolve("passwd"))).isEqualTo("rw-------");
        assertThat(mode(data.resolve("tls/privkey.pem"))).isEqualTo("rw-------");
        assertThat(Files.readString(data.resolve("mailwright.conf"))).contains("address = \"127.0.7.2\"")
                .startsWith("# The desk's own note: the server's file keeps it.\n");
        try (Stream<Path> s = Files.list(remoteDir.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("mailwright"); // no staging left
        }

        // A message sent to the remote engine is delivered there.
        Peers.Result sent = Peers.swaks("--server", "127.0.7.2:" + local.smtp, "--from", "bob@example.net", "--to", "alice@example.org",
                "--body", "hello over there");
        assertThat(sent.exit()).as(sent.out()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> listOrEmpty(data.resolve("mail/alice/new")).size() == 1);
    }

    @Test
    @Order(3)
    void maillogAndQueueFollowTheRemoteEngineOverSsh() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (RemoteAttach attach = RemoteAttach.open(ssh.target(), ssh.clientKey, null, knownHosts, remoteDir.toString());
             MaillogTail tail = attach.tailMaillog(50, lines::add)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.contains("to=<alice@example.org>") && l.contains("result=Ok")));

            // Remote mail waits in the remote queue (this engine has no relay yet), queued through the remote sendmail.
            SshConnection.Result queued = attach.ssh().exec(attach.layout().cli("sendmail -f alice@example.org carol@elsewhere.example"),
                    "Subject: waits\r\n\r\nfor the upgrade\r\n".getBytes(StandardCharsets.UTF_8), SshServer.timeout());
            assertThat(queued.exit()).as(queued.err()).isZero();
            List<EnvelopeInfo> q = attach.queue().list();
            assertThat(q).extracting(EnvelopeInfo::to).containsExactly("carol@elsewhere.example");
            assertThat(attach.queue().show(q.get(0).id())).get().satisfies(s -> assertThat(s.headers()).contains("Subject: waits"));
            assertThat(attach.queue().retry(java.util.Optional.of(q.get(0).id()))).isEqualTo(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.contains("retry") && l.contains("carol@elsewhere.example")));
        }

        // The CLI: queue list --remote, a separate process, over SSH.
        Peers.Result cli = Peers.run(Peers.mailwright(tmp.resolve("elsewhere"), "queue", "list", "--json", "--remote", ssh.target().toString(),
                "--identity", ssh.clientKey.toString(), "--known-hosts", knownHosts.toString(), "--remote-dir", remoteDir.toString()), null, 120);
        assertThat(cli.exit()).as(cli.out()).isZero();
        assertThat(cli.out()).contains("\"to\" : \"carol@elsewhere.example\"").contains("\"next_attempt\"");
    }

    @Test
    @Order(4)
    void deployingAgainUpgradesInPlaceAndLosesNothingQueued() throws Exception {
        String pidBefore = Files.readString(remoteDir.resolve("mailwright.pid")).strip();
        List<EnvelopeInfo> before = remoteQueue();
        List<Path> mailBefore = listOrEmpty(remoteDir.resolve("data/mail/alice/new"));
        List<String> steps = Collections.synchronizedList(new ArrayList<>());

        Deployment.Report report = new Deployment(request("")).run((step, message) -> steps.add(log(message)));

        assertThat(report.upgrade()).isTrue();
        assertThat(report.banner()).startsWith("220 ");
        assertThat(String.join("\n", steps)).contains("held by the running Mailwright").contains("Stopped the previous engine (pid " + pidBefore + ")");
        assertThat(Files.readString(remoteDir.resolve("mailwright.pid")).strip()).isNotEqualTo(pidBefore);
        assertThat(ProcessHandle.of(Long.parseLong(pidBefore))).isEmpty();
        assertThat(remoteQueue()).extracting(EnvelopeInfo::id).containsExactlyElementsOf(before.stream().map(EnvelopeInfo::id).toList());
        assertThat(listOrEmpty(remoteDir.resolve("data/mail/alice/new"))).isEqualTo(mailBefore);
        assertThat(Files.readString(remoteDir.resolve("data/log/maillog"))).contains("carol@elsewhere.example");
    }

    @Test
    @Order(5)
    void cancelLeavesTheRemoteHostAsItWas() throws Exception {
        TreeMap<String, String> before = snapshot(remoteDir.getParent());
        String pid = Files.readString(remoteDir.resolve("mailwright.pid")).strip();
        Deployment d = new Deployment(request(""));
        assertThatThrownBy(() -> d.run(new Deployment.Progress() {
            @Override
            public void step(Deployment.Step step, String message) {}

            @Override
            public void uploaded(String file, long sent, long total) {
                if (file.equals("mailwright.jar") && sent > 0) d.cancel(); // mid-way through the jar
            }
        })).isInstanceOf(DeployException.Cancelled.class).hasMessageContaining("left as it was");

        assertThat(snapshot(remoteDir.getParent())).isEqualTo(before);
        assertThat(Files.readString(remoteDir.resolve("mailwright.pid")).strip()).isEqualTo(pid);
        assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive)).contains(true);
    }

    @Test
    @Order(6)
    void changedHostKeyStopsTheDeploy() throws Exception {
        Path other = tmp.resolve("other_key");
        Peers.run(List.of(Peers.require("ssh-keygen", "openssh-client"), "-q", "-t", "ed25519", "-N", "", "-f", other.toString()), null, 30);
        String pub = Files.readString(other.resolveSibling("other_key.pub")).strip();
        Path forged = tmp.resolve("known_hosts_changed");
        Files.writeString(forged, "[127.0.7.1]:" + ssh.port + " " + pub + "\n");
        TreeMap<String, String> before = snapshot(remoteDir.getParent());

        Deployment.Request r = new Deployment.Request(ssh.target(), ssh.clientKey, null, remoteDir.toString(), forged,
                ssh.fingerprint(), local.dir, jar);
        assertThatThrownBy(() -> new Deployment(r).run(Deployment.Progress.NONE))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("has CHANGED")
                .hasMessageContaining(ssh.fingerprint())
                .hasMessageContaining("ssh-keygen -R");
        assertThat(Files.readString(forged)).isEqualTo("[127.0.7.1]:" + ssh.port + " " + pub + "\n");
        assertThat(snapshot(remoteDir.getParent())).isEqualTo(before);
    }

    @Test
    @Order(7)
    void aPortThatCannotBeBoundStopsTheDeployBeforeAnythingChanges() throws Exception {
        TreeMap<String, String> before = snapshot(remoteDir.getParent());
        String pid = Files.readString(remoteDir.resolve("mailwright.pid")).strip();
        String conf = Files.readString(local.dir.resolve("mailwright.conf"));
        int held = TestData.freePort();
        try (java.net.ServerSocket other = new java.net.ServerSocket(held, 5, java.net.InetAddress.getByName("127.0.7.2"))) {
            // Another program holds a port the new configuration wants: the CLI exits 1 with the cause, nothing changes.
            Files.writeString(local.dir.resolve("mailwright.conf"), withListener(conf, "127.0.7.2", held));
            Peers.Result held1 = Peers.run(Peers.mailwright(local.dir, "deploy", ssh.target().toString(), "--identity", ssh.clientKey.toString(),
                    "--known-hosts", knownHosts.toString(), "--remote-dir", remoteDir.toString(), "--jar", jar.toString()), null, 180);
            assertThat(held1.exit()).as(held1.out()).isEqualTo(1);
            assertThat(held1.out()).contains("mailwright: ").contains("port " + held + " is already in use").contains("not by the running Mailwright")
                    .contains("nothing was changed there");

            // An address that is on no interface of the host: found by binding it there, from the staged jar.
            Files.writeString(local.dir.resolve("mailwright.conf"), withListener(conf, "192.0.2.7", held));
            assertThatThrownBy(() -> new Deployment(request("")).run((step, m) -> log(m)))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("port " + held + " on 192.0.2.7 could not be bound: Cannot assign requested address")
                    .hasMessageContaining("the address is not on any interface")
                    .hasMessageContaining("nothing was changed on 127.0.7.1; the running engine was left alone");
        } finally {
            Files.writeString(local.dir.resolve("mailwright.conf"), conf);
        }
        assertThat(snapshot(remoteDir.getParent())).isEqualTo(before);
        assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive)).contains(true);
    }

    @Test
    @Order(8)
    void aNewEngineThatCannotBindIsRolledBackAndTheOldOneServesAgain() throws Exception {
        Path data = remoteDir.resolve("data");
        List<String> release = List.of("mailwright.jar", "jvm.options", "mailwright-start", "data/mailwright.conf", "data/passwd", "data/tls/privkey.pem");
        TreeMap<String, String> releaseBefore = new TreeMap<>();
        for (String f : release) releaseBefore.put(f, snapshot(remoteDir).get(f));
        String pidBefore = Files.readString(remoteDir.resolve("mailwright.pid")).strip();
        List<EnvelopeInfo> queueBefore = remoteQueue();
        List<Path> mailBefore = listOrEmpty(data.resolve("mail/alice/new"));
        String conf = Files.readString(local.dir.resolve("mailwright.conf"));
        int late = TestData.freePort();
        List<String> steps = Collections.synchronizedList(new ArrayList<>());
        java.net.ServerSocket[] grabbed = new java.net.ServerSocket[1];
        try {
            Files.writeString(local.dir.resolve("mailwright.conf"), withListener(conf, "127.0.7.2", late));
            // The port is free while deploy checks it; another program takes it just before the switch (as a race would).
            assertThatThrownBy(() -> new Deployment(request("")).run((step, m) -> {
                steps.add(step + " " + log(m));
                if (step == Deployment.Step.INSTALL && grabbed[0] == null) {
                    try {
                        grabbed[0] = new java.net.ServerSocket(late, 5, java.net.InetAddress.getByName("127.0.7.2"));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            })).isInstanceOf(DeployException.class)
                    .hasMessageStartingWith("port " + late + " on 127.0.7.2 could not be bound: the port is already in use")
                    .hasMessageContaining("; the previous release was restored and is running (it answers: 220 mail.example.org");
        } finally {
            Files.writeString(local.dir.resolve("mailwright.conf"), conf);
            if (grabbed[0] != null) grabbed[0].close();
        }
        assertThat(String.join("\n", steps)).contains("Port " + late + " on 127.0.7.2 can be bound: ok").contains("ROLLBACK ");

        // The old release is back, file for file, and nothing of the transition is left.
        for (String f : release) assertThat(snapshot(remoteDir).get(f)).as(f).isEqualTo(releaseBefore.get(f));
        assertThat(Files.readString(data.resolve("mailwright.conf"))).doesNotContain("port = " + late);
        assertThat(remoteDir.resolve("previous")).doesNotExist();
        try (Stream<Path> s = Files.list(remoteDir.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("mailwright");
        }
        String pidAfter = Files.readString(remoteDir.resolve("mailwright.pid")).strip();
        assertThat(pidAfter).isNotEqualTo(pidBefore);
        assertThat(ProcessHandle.of(Long.parseLong(pidAfter)).map(ProcessHandle::isAlive)).contains(true);

        // Queue and mail untouched; the old engine serves: it greets and delivers.
        assertThat(remoteQueue()).extracting(EnvelopeInfo::id).containsExactlyElementsOf(queueBefore.stream().map(EnvelopeInfo::id).toList());
        assertThat(listOrEmpty(data.resolve("mail/alice/new"))).isEqualTo(mailBefore);
        Peers.Result sent = Peers.swaks("--server", "127.0.7.2:" + local.smtp, "--from", "bob@example.net", "--to", "alice@example.org",
                "--body", "after the rollback");
        assertThat(sent.exit()).as(sent.out()).isZero();
        assertThat(sent.out()).contains("220 mail.example.org");
        await().atMost(Duration.ofSeconds(30)).until(() -> listOrEmpty(data.resolve("mail/alice/new")).size() == mailBefore.size() + 1);
    }

    /** The configuration with one more [[listen]] block, a copy of the first one on {@code address:port}. */
    private static String withListener(String conf, String address, int port) {
        int start = conf.indexOf("[[listen]]");
        int end = conf.indexOf("\n\n", start);
        String block = conf.substring(start, end + 2).replaceAll("(?m)^address = .*$", "address = \"" + address + "\"")
                .replaceAll("(?m)^port = .*$", "port = " + port);
        return conf.substring(0, start) + block + conf.substring(start);
    }

    private static String log(String message) {
        System.out.println(java.time.Instant.now() + " " + message);
        return message;
    }

    private List<EnvelopeInfo> remoteQueue() throws Exception {
        try (RemoteAttach attach = RemoteAttach.open(ssh.target(), ssh.clientKey, null, knownHosts, remoteDir.toString())) {
            return attach.queue().list();
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<Path> listOrEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** Every file and directory under {@code root} with its content hash (logs excluded: the engine writes them). */
    private static TreeMap<String, String> snapshot(Path root) throws Exception {
        TreeMap<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                if (rel.endsWith("maillog") || rel.endsWith("mailwright.out")) continue;
                m.put(rel, Files.isRegularFile(p)
                        ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))) + " " + mode(p)
                        : Files.isDirectory(p) ? "dir" : "other");
            }
        }
        return m;
    }
}
