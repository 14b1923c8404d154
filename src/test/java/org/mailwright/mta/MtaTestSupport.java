package org.mailwright.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailwright.log.MaillogEntry;
import org.mailwright.testing.Peers;
import org.mailwright.testing.TestData;
import org.mailwright.testing.InProcessCli;

/** What the mta tests share: submitting mail as a user would, waiting for it to land, reading the maillog. */
final class MtaTestSupport {
    private MtaTestSupport() {}

    /** Submits a message on the submission port (STARTTLS, AUTH PLAIN), as a mail client would. */
    static void submit(TestData data, String listenAddress, String user, String password, String from, String subject,
                       String... to) throws IOException, InterruptedException {
        Peers.Result r = Peers.swaks("--server", listenAddress, "--port", String.valueOf(data.submission), "-tls",
                "--auth", "PLAIN", "--auth-user", user, "--auth-password", password,
                "--from", from, "--to", String.join(",", to), "--header", "Subject: " + subject,
                "--body", "Hello from " + from + ".\n\nThis is " + subject + ".\n");
        assertThat(r.exit()).as("swaks submission failed:\n%s", r.out()).isZero();
    }

    /** Waits for a message containing {@code marker} among {@code files}' contents; returns its bytes. */
    static byte[] awaitMessage(FileSource files, String marker) {
        byte[][] found = new byte[1][];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (Path p : files.list()) {
                byte[] b = Files.readAllBytes(p);
                if (new String(b, StandardCharsets.UTF_8).contains(marker)) {
                    found[0] = b;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    interface FileSource {
        List<Path> list() throws IOException;
    }

    /** The parsed maillog lines of an event in a role. */
    static List<MaillogEntry> events(TestData data, String role, String event) throws IOException {
        List<MaillogEntry> out = new ArrayList<>();
        for (String line : data.maillog().split("\n")) {
            if (line.isBlank()) continue;
            MaillogEntry.parse(line).filter(e -> e.role().equals(role) && e.event().equals(event)).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Delivery lines of the mta for one recipient, once there are {@code atLeast} of them: the peer may have the
     * message on disk a moment before our side has read its 250 and logged it.
     */
    static List<MaillogEntry> deliveries(TestData data, String to, int atLeast) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> deliveries(data, to).size() >= atLeast);
        try {
            return deliveries(data, to);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Delivery lines of the mta for one recipient. */
    static List<MaillogEntry> deliveries(TestData data, String to) throws IOException {
        return events(data, "mta", "delivery").stream().filter(e -> ("<" + to + ">").equals(e.fields().get("to"))).toList();
    }

    /**
     * Runs {@code mailwright dkim keygen} (picocli, in this JVM: RSA key generation is slow enough without a
     * second JVM) and returns name → value of the TXT records it prints.
     */
    static Map<String, String> keygen(TestData data, String... args) {
        List<String> cmd = new ArrayList<>(List.of("dkim", "keygen"));
        cmd.addAll(List.of(args));
        InProcessCli.Run run = InProcessCli.inData(data.dir, cmd.toArray(String[]::new));
        String out = run.out();
        assertThat(run.exit()).as("dkim keygen: %s%s", out, run.err()).isZero();
        Map<String, String> txt = new LinkedHashMap<>();
        String name = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("name:  ")) name = line.substring(7).trim();
            if (line.startsWith("value: ") && name != null) txt.put(name, line.substring(7).trim());
        }
        assertThat(txt).as("keygen printed no TXT record: %s", out).isNotEmpty();
        return txt;
    }

    /** JUnit's temporary directories are 0700: Postfix's delivery agent (user postfix) must get through. */
    static void openForPostfix(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
