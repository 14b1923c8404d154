package org.mailwright.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Parsing what the remote probe prints (the probe itself runs against a real sshd in DeployTest). */
class RemoteFactsTest {
    @Test
    void listeningSocketsFromProcNetTcp() {
        assertThat(RemoteFacts.hexSocket("0207007F:0019")).isEqualTo(new RemoteFacts.Listening("127.0.7.2", 25));
        assertThat(RemoteFacts.hexSocket("0000000000000000FFFF00000307007F:A2CD")).isEqualTo(new RemoteFacts.Listening("127.0.7.3", 41677));
        assertThat(RemoteFacts.hexSocket("00000000000000000000000000000000:024B")).isEqualTo(new RemoteFacts.Listening("::", 587));
    }

    @Test
    void javaMajorVersion() {
        assertThat(RemoteFacts.javaMajor("openjdk version \"17.0.15\" 2025-04-15")).isEqualTo(17);
        assertThat(RemoteFacts.javaMajor("openjdk version \"21\" 2023-09-19")).isEqualTo(21);
        assertThat(RemoteFacts.javaMajor("java version \"1.8.0_402\"")).isEqualTo(8);
        assertThat(RemoteFacts.javaMajor("")).isZero();
    }

    @Test
    void targetForms() {
        assertThat(SshTarget.parse("root@mail.example.org")).isEqualTo(new SshTarget("root", "mail.example.org", 22));
        assertThat(SshTarget.parse("deploy@[2001:db8::1]:2222")).isEqualTo(new SshTarget("deploy", "2001:db8::1", 2222));
        assertThat(SshTarget.parse("root@127.0.7.1:2222").toString()).isEqualTo("root@127.0.7.1:2222");
    }
}
