package org.mailwright.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.testing.Peers;

/**
 * The unit deploy installs where systemd runs. This machine's PID 1 is not systemd, so the service itself is not
 * started here; the unit file is checked by systemd's own parser ({@code systemd-analyze verify}).
 */
class SystemdUnitTest {
    @TempDir Path tmp;

    @Test
    void unitIsHardenedAndPassesSystemdAnalyze() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String unit = SystemdUnit.text(new RemoteLayout("/opt/mailwright"), java);
        assertThat(unit).contains("User=mailwright", "AmbientCapabilities=CAP_NET_BIND_SERVICE", "Restart=on-failure",
                "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/opt/mailwright/data", "PrivateTmp=yes", "ProtectHome=yes",
                "ExecStart=" + java + " -jar /opt/mailwright/mailwright.jar --data /opt/mailwright/data serve");
        assertThat(SystemdUnit.text(new RemoteLayout("/home/ann/mailwright"), java)).contains("ProtectHome=read-only");

        Path file = tmp.resolve("mailwright.service");
        Files.writeString(file, unit);
        Peers.Result r = Peers.run(List.of(Peers.require("systemd-analyze", "systemd"), "verify", "--man=no", file.toString()), null, 60);
        // Only complaints about this unit's own lines count (not about the absent jar or user on this machine).
        assertThat(r.out().lines().filter(l -> l.contains("mailwright.service:")).toList()).as(r.out()).isEmpty();
    }
}
