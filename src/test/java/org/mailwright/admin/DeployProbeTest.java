package org.mailwright.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.deploy.SshServer;

/** The host-key probe against a real OpenSSH on 127.0.12.2, and the remembered-server list. */
class DeployProbeTest {
    @TempDir Path tmp;

    @Test
    void theProbeShowsTheFingerprintSshdOffersAndWhetherItIsKnown() throws Exception {
        try (SshServer ssh = SshServer.start(tmp.resolve("sshd"), "127.0.12.2")) {
            Path known = tmp.resolve("known_hosts");
            Deploy.HostKey k = Deploy.probeHostKey(ssh.target(), ssh.clientKey, known);
            assertThat(k.known()).isFalse();
            assertThat(k.fingerprint()).isEqualTo(ssh.fingerprint());
            assertThat(k.compareHint()).contains("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub");
            Files.writeString(known, "[" + ssh.address + "]:" + ssh.port + " " + Files.readString(ssh.hostKeyPub));
            Deploy.HostKey again = Deploy.probeHostKey(ssh.target(), ssh.clientKey, known);
            assertThat(again.known()).isTrue();
            assertThat(again.login()).isEmpty();
            assertThat(again.fingerprint()).isEqualTo(ssh.fingerprint());
        }
    }

    @Test
    void serversAreRememberedOncePerTargetMostRecentFirstMode0600() throws Exception {
        Servers s = Servers.in(tmp);
        s.deployed("root@a.example", Path.of("/k/id"), "/opt/mw", Path.of("/k/known"));
        s.connected("bob@b.example:2222", "", "", "");
        s.connected("root@a.example", "/k/id", "/opt/mw", "/k/known");
        assertThat(s.list()).extracting(Servers.Server::target).containsExactly("root@a.example", "bob@b.example:2222");
        Servers.Server a = s.list().get(0);
        assertThat(a.lastDeployed()).isNotNull();
        assertThat(a.lastConnected()).isNotNull();
        assertThat(a.remoteDir()).isEqualTo("/opt/mw");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.file()))).isEqualTo("rw-------");
        assertThat(Files.readString(s.file())).doesNotContain("password");
    }
}
