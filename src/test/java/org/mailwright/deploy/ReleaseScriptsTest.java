package org.mailwright.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release scripts are shell files of the jar: what {@code mailwright deploy} sends parses as POSIX sh (dash, as
 * on Debian), in both service modes, and a rollback with nothing to restore says so and touches nothing.
 */
class ReleaseScriptsTest {
    private final RemoteLayout layout = new RemoteLayout("/opt/mail wright's");

    @Test
    void everyScriptParsesAsShInBothModes() throws Exception {
        for (Deployment.ServiceMode mode : Deployment.ServiceMode.values()) {
            assertThat(sh("-n", ReleaseScripts.install(layout, "/opt/stage", mode))).as("install, " + mode).isEqualTo("0:");
            assertThat(sh("-n", ReleaseScripts.rollback(layout, mode, "/usr/bin/java"))).as("rollback, " + mode).isEqualTo("0:");
        }
        assertThat(sh("-n", ReleaseScripts.launcher(layout, "/usr/bin/java", List.of("-Xmx128m")))).isEqualTo("0:");
        assertThat(ReleaseScripts.launcher(layout, "/usr/bin/java", List.of())).contains("D='/opt/mail wright'\\''s'").doesNotContain("@");
    }

    @Test
    void aRollbackWithoutAPreviousReleaseRestoresNothing(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mailwright"));
        Files.writeString(dir.resolve("mailwright.jar"), "the release that runs");
        String out = sh("-s", ReleaseScripts.rollback(new RemoteLayout(dir.toString()), Deployment.ServiceMode.NOHUP, "/usr/bin/java"));
        assertThat(out).isEqualTo("0:restored=none\n");
        assertThat(Files.readString(dir.resolve("mailwright.jar"))).isEqualTo("the release that runs");
    }

    /** Runs {@code sh FLAG} with the script on stdin; "EXIT:STDOUT", stderr added when there is any. */
    private static String sh(String flag, String script) throws Exception {
        Process p = new ProcessBuilder("sh", flag).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + out + (err.isEmpty() ? "" : "\n" + err);
    }
}
