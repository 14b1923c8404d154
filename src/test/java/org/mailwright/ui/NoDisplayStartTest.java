package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/** {@code mailwright} with no subcommand and no display: one line saying so, then the engine runs headless. */
class NoDisplayStartTest {
    @TempDir
    Path dir;

    @Test
    void withoutADisplayTheEngineRunsHeadlessAndSaysHowToReachIt() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mail.example.test", "example.test").user("alice", "Correct-Horse-9");
        ProcessBuilder pb = new ProcessBuilder(Peers.mailwright(data.dir)).redirectErrorStream(true);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("Stop with Ctrl-C")) break;
            }
            assertThat(out.toString())
                    .contains("mailwright: no display")
                    .contains("running the engine headless")
                    .contains("Mailwright is running headless")
                    .contains("127.0.0.1:" + data.submission);
            assertThat(out.toString()).doesNotContain("Exception");
        } finally {
            p.destroy(); // SIGTERM: the engine stops cleanly
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(out.toString()).isIn(0, 143);
    }
}
