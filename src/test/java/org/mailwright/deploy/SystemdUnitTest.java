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
        List<String> options = JvmOptions.bundled();
        String unit = SystemdUnit.text(new RemoteLayout("/opt/mailwright"), java, options);
        assertThat(unit).contains("User=mailwright", "AmbientCapabilities=CAP_NET_BIND_SERVICE", "Restart=on-failure",
                "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/opt/mailwright/data", "PrivateTmp=yes", "ProtectHome=yes",
                "ExecStart=" + java + " " + String.join(" ", options) + " -jar /opt/mailwright/mailwright.jar --data /opt/mailwright/data serve");
        assertThat(SystemdUnit.text(new RemoteLayout("/home/ann/mailwright"), java, options)).contains("ProtectHome=read-only");

        Path file = tmp.resolve("mailwright.service");
        Files.writeString(file, unit);
        Peers.Result r = Peers.run(List.of(Peers.require("systemd-analyze", "systemd"), "verify", "--man=no", file.toString()), null, 60);
        // Only complaints about this unit's own lines count (not about the absent jar or user on this machine).
        assertThat(r.out().lines().filter(l -> l.contains("mailwright.service:")).toList()).as(r.out()).isEmpty();
    }

    /** installer/jvm.options is the one place for the flags: the jar carries it unchanged, and both launchers use exactly its options. */
    @Test
    void unitAndLauncherCarryExactlyTheOptionsOfJvmOptions() throws Exception {
        String file = Files.readString(Path.of("installer", "jvm.options"));
        assertThat(JvmOptions.bundledText()).isEqualTo(file);
        List<String> expected = file.lines().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
        assertThat(JvmOptions.bundled()).isEqualTo(expected).contains("-XX:+UseSerialGC", "-Xmx128m");

        RemoteLayout layout = new RemoteLayout("/opt/mailwright");
        String exec = SystemdUnit.text(layout, "/usr/bin/java", expected).lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        assertThat(optionsOf(exec.substring("ExecStart=".length()), "/usr/bin/java")).isEqualTo(expected);

        String launcher = ReleaseScripts.launcher(layout, "/usr/bin/java", expected);
        String start = launcher.lines().filter(l -> l.contains(" -jar ")).findFirst().orElseThrow();
        assertThat(optionsOf(start.substring(start.indexOf("'/usr/bin/java'")).replace("'/usr/bin/java'", "/usr/bin/java"), "/usr/bin/java"))
                .isEqualTo(expected);
        assertThat(launcher.lines().filter(l -> l.contains(" -jar ")).count()).isEqualTo(1);

        // The benchmarks read the same file, through their shared library.
        assertThat(Files.readString(Path.of("bench/lib.sh"))).contains("installer/jvm.options").doesNotContain("-Xmx64m");
        for (String bench : List.of("bench/local-delivery.sh", "bench/relay.sh")) {
            assertThat(Files.readString(Path.of(bench))).contains(". bench/lib.sh").contains("start_engine ").doesNotContain("-Xmx64m");
        }
        // The server package packs it (build.sh) and the .deb's unit runs the launcher that carries it.
        assertThat(Files.readString(Path.of("installer", "build.sh"))).contains("installer/jvm.options");
    }

    @Test
    void aLineThatIsNotOneOptionIsRefusedWithItsLineNumber() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JvmOptions.parse("# heap\n-Xmx128m\n-Dname=a b\n"))
                .hasMessageContaining("jvm.options:3: not one JVM option: -Dname=a b");
        assertThat(JvmOptions.parse("-Xss512k # stack\n\n  # only a comment\n")).containsExactly("-Xss512k");
    }

    /** The words between the java binary and {@code -jar} on a command line. */
    private static List<String> optionsOf(String commandLine, String java) {
        assertThat(commandLine).startsWith(java + " ");
        String between = commandLine.substring(java.length(), commandLine.indexOf(" -jar ")).strip();
        return between.isEmpty() ? List.of() : List.of(between.split(" "));
    }
}
