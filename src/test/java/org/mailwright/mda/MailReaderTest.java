package org.mailwright.mda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.smtp.SmtpClient;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;

/** What Mailwright writes, real mail readers read: s-nail in batch mode and mutt in a tmux pane (count, subjects, bodies). */
class MailReaderTest {
    static final Pattern SUMMARY_LINE = Pattern.compile("(?m)^.{0,6}\\b\\d+ friend@\\S+ .*Greeting number \\d.*$");

    @TempDir Path dir;

    static void sendThree(TestData data) throws Exception {
        try (SmtpClient c = SmtpClient.connect(data.smtp)) {
            c.ehlo();
            for (int i = 1; i <= 3; i++) {
                String body = "Subject: Greeting number " + i + "\nFrom: Friend <friend@elsewhere.test>\n\n"
                        + "Hello reader " + i + ".\nFrom the desk of friend, a line mbox must quote.\n>From already quoted\nBye " + i + "\n";
                assertThat(c.send("friend@elsewhere.test", List.of("reader@example.org"), body)).startsWith("250");
            }
        }
    }

    static Peers.Result snail(Path home, Path folder, String commands) throws Exception {
        String snail = Peers.require("s-nail", "s-nail");
        // -# batch mode, -: / no rc files, -N no header summary at start, -R read-only
        return Peers.run(List.of("env", "HOME=" + home, "TZ=UTC", snail, "-#", "-:", "/", "-N", "-R", "-f", folder.toString()), commands, 30);
    }

    /** mutt in a tmux pane (it has no batch mode): the index screen, then the first message's screen. */
    static List<String> mutt(Path home, Path folder) throws Exception {
        String mutt = Peers.require("mutt", "mutt");
        String tmux = Peers.require("tmux", "tmux");
        Files.createDirectories(home.resolve("Mail")); // else mutt asks to create ~/Mail before it shows anything
        String socket = home.resolve("tmux-" + System.nanoTime() + ".sock").toString(); // in the test's directory: nothing left behind
        try {
            Peers.Result started = Peers.run(List.of(tmux, "-S", socket, "new-session", "-d", "-x", "160", "-y", "40",
                    "env HOME=" + home + " TERM=xterm TZ=UTC " + mutt + " -n -F /dev/null -R -f " + folder), null, 30);
            assertThat(started.exit()).as(started.out()).isZero();
            String index = screenWith(tmux, socket, "Greeting number 3");
            Peers.run(List.of(tmux, "-S", socket, "send-keys", "-t", "0", "Enter"), null, 10);
            String message = screenWith(tmux, socket, "Hello reader");
            return List.of(index, message);
        } finally {
            Peers.run(List.of(tmux, "-S", socket, "kill-server"), null, 10);
        }
    }

    static String screenWith(String tmux, String socket, String text) throws Exception {
        String screen = "";
        for (int i = 0; i < 100; i++) {
            screen = Peers.run(List.of(tmux, "-S", socket, "capture-pane", "-p", "-t", "0"), null, 10).out();
            if (screen.contains(text)) return screen;
            Thread.sleep(200);
        }
        String panes = Peers.run(List.of(tmux, "-S", socket, "list-panes", "-F", "#{pane_dead} #{pane_pid} #{pane_current_command} #{pane_start_command}"), null, 10).out();
        throw new AssertionError("mutt never showed \"" + text + "\"; panes: " + panes + "; the screen:\n" + screen);
    }

    static void checkMutt(List<String> screens) {
        assertThat(java.util.regex.Pattern.compile("(?m)^\\s*\\d+ .*Greeting number \\d\\s*$").matcher(screens.get(0)).results())
                .as(screens.get(0)).hasSize(3);
        // mutt sorts by date; messages of the same second come in any order
        java.util.regex.Matcher n = java.util.regex.Pattern.compile("Subject: Greeting number (\\d)").matcher(screens.get(1));
        assertThat(n.find()).as(screens.get(1)).isTrue();
        assertThat(screens.get(1)).contains("Hello reader " + n.group(1) + ".", "Bye " + n.group(1)).containsPattern("\n>?From the desk of friend");
    }

    @Test
    void sNailReadsTheMaildir() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("reader", "password-reader");
        try (Engine e = Engine.start(data.dir)) {
            sendThree(data);
            await().atMost(Duration.ofSeconds(20)).until(() -> data.delivered("reader").size() == 3);
        }
        Path maildir = data.dir.resolve("mail").resolve("reader");
        Peers.Result r = snail(dir, maildir, "headers\n");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(SUMMARY_LINE.matcher(r.out()).results()).hasSize(3);
        assertThat(r.out()).contains("Greeting number 1", "Greeting number 2", "Greeting number 3");
        for (int i = 1; i <= 3; i++) {
            r = snail(dir, maildir, "print " + i + "\n");
            assertThat(r.out()).contains("Subject: Greeting number ").contains("Hello reader ").contains("\nFrom the desk of friend");
        }
        // the three bodies, one each
        r = snail(dir, maildir, "print 1\nprint 2\nprint 3\n");
        assertThat(r.out()).contains("Hello reader 1.", "Hello reader 2.", "Hello reader 3.");
        checkMutt(mutt(dir, maildir));
    }

    @Test
    void sNailReadsTheMboxAndFromQuotingSurvives() throws Exception {
        TestData data = new TestData(dir.resolve("data"), "mx.example.org", "example.org").user("reader", "password-reader")
                .config(c -> TestData.withDelivery(c, new Config.Delivery(Config.DeliveryFormat.MBOX, 1_000_000)));
        Path mbox = data.dir.resolve("mbox").resolve("reader");
        try (Engine e = Engine.start(data.dir)) {
            sendThree(data);
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(mbox)
                    && Files.readString(mbox).split("\n\n(?=From )").length == 3 && Files.readString(mbox).contains("Bye 3"));
        }
        String raw = Files.readString(mbox);
        assertThat(raw).contains("\n>From the desk of friend").contains("\n>>From already quoted").doesNotContain("\nFrom the desk");
        Peers.Result r = snail(dir, mbox, "headers\n");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(SUMMARY_LINE.matcher(r.out()).results()).as(r.out()).hasSize(3);
        assertThat(r.out()).contains("Greeting number 1", "Greeting number 2", "Greeting number 3");
        r = snail(dir, mbox, "print 2\n");
        assertThat(r.out()).contains("Subject: Greeting number 2", "Hello reader 2.", "Bye 2");
        // s-nail shows mboxrd quoting as it is in the file (or unquoted); either way the line is there once
        assertThat(r.out()).containsPattern("\n>?From the desk of friend");
        assertThat(r.out()).doesNotContain("Greeting number 3");
        checkMutt(mutt(dir, mbox));
    }
}
