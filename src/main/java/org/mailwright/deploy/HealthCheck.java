package org.mailwright.deploy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * After a start: does the engine answer on every listener? Each one must give an SMTP greeting (through the SSH
 * connection) naming our host; between tries the engine's process is checked, so an engine that exited — a port it
 * could not bind, a broken flag — is reported at once with the line it left in its output, not after the timeout.
 */
final class HealthCheck {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern BIND = Pattern.compile("cannot listen on (\\S+) port (\\d+): (.*)");

    /** The engine is not healthy; the message names the cause in words. */
    static final class Unhealthy extends Exception {
        Unhealthy(String message) {
            super(message);
        }
    }

    private final SshConnection ssh;
    private final RemoteLayout layout;
    private final Deployment.ServiceMode mode;
    private final String host;

    HealthCheck(SshConnection ssh, RemoteLayout layout, Deployment.ServiceMode mode, String host) {
        this.ssh = ssh;
        this.layout = layout;
        this.mode = mode;
        this.host = host;
    }

    /** Waits for the greeting on every endpoint ({@code hostname} in it, when given); returns them in order. */
    List<String> awaitAll(List<Deployment.Endpoint> endpoints, String hostname, Deployment.Started started, Duration wait, Consumer<String> say)
            throws Unhealthy, IOException {
        Instant deadline = Instant.now().plus(wait);
        List<String> banners = new ArrayList<>();
        for (Deployment.Endpoint e : endpoints) {
            String where = e.connectHost() + ":" + e.port();
            say.accept("Connecting to " + where + (Boolean.TRUE.equals(e.implicitTls()) ? " (TLS)" : "") + " on the remote host, through SSH …");
            String lastError = "";
            // Unknown (a port of the old engine that the new config does not have): plain first; silence means TLS first.
            boolean tls = Boolean.TRUE.equals(e.implicitTls());
            while (true) {
                try {
                    String line = Greeting.read(ssh, e.connectHost(), e.port(), tls, READ_TIMEOUT);
                    if (line.startsWith("220") && (hostname == null || line.contains(hostname))) {
                        banners.add(line);
                        say.accept(where + " answers: " + line);
                        break;
                    }
                    lastError = "it greets with \"" + line + "\"" + (hostname == null ? "" : ", not as Mailwright " + hostname);
                } catch (IOException x) {
                    lastError = x.getMessage() == null ? x.toString() : x.getMessage();
                    if (e.implicitTls() == null && (x instanceof java.net.SocketTimeoutException || x instanceof javax.net.ssl.SSLException)) tls = !tls;
                }
                if (!alive(started)) throw new Unhealthy(exitCause(started));
                if (Instant.now().isAfter(deadline)) {
                    throw new Unhealthy("the new engine on " + host + " gives no SMTP greeting on " + where + " within " + wait.toSeconds() + " s ("
                            + lastError + "); its last output: " + String.join(" | ", output(started)) + " — look at `" + logCommand(started) + "` there");
                }
                sleep();
            }
        }
        return banners;
    }

    List<String> awaitAny(List<Deployment.Endpoint> endpoints, Deployment.Started started, Duration wait, Consumer<String> say) throws Unhealthy, IOException {
        return awaitAll(endpoints, null, started, wait, say);
    }

    private boolean alive(Deployment.Started started) throws IOException {
        if (mode == Deployment.ServiceMode.SYSTEMD) {
            return ssh.exec("systemctl is-active " + RemoteLayout.UNIT, Duration.ofSeconds(20)).out().strip().equals("active");
        }
        return ssh.exec("kill -0 " + Shell.quote(started.pid()) + " 2>/dev/null", Duration.ofSeconds(20)).ok();
    }

    /** What the engine said before it exited, in words: the port it could not bind, else its last line. */
    private String exitCause(Deployment.Started started) throws IOException {
        List<String> lines = output(started);
        for (int tries = 0; lines.isEmpty() && tries < 6; tries++) { // the journal may lag a moment behind the exit
            sleep();
            lines = output(started);
        }
        for (String l : lines) {
            Matcher m = BIND.matcher(l);
            if (m.find()) return "port " + m.group(2) + " on " + m.group(1) + " could not be bound: " + m.group(3);
        }
        // The engine's own complaint first; else systemd's reason it could not even run it (not its "Failed with result").
        String last = lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        for (String l : lines) if (l.contains("Failed to ") || l.contains("Failed at step")) last = l;
        for (String l : lines) if (l.startsWith("mailwright: ")) last = l;
        return "the new engine on " + host + " exited: " + (last.startsWith("mailwright: ") ? last.substring(12) : last)
                + " (`" + logCommand(started) + "` there has the rest)";
    }

    private List<String> output(Deployment.Started started) throws IOException {
        String out = ssh.exec(logCommand(started) + " 2>/dev/null | tail -n 30", Duration.ofSeconds(20)).out();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** The engine's output since this start: its own part of mailwright.out, or the unit's journal. */
    private String logCommand(Deployment.Started started) {
        return mode == Deployment.ServiceMode.SYSTEMD
                ? "journalctl -u " + RemoteLayout.UNIT + " -o cat --no-pager" + (started.since() > 0 ? " --since @" + started.since() : " -n 30")
                : "tail -c +" + started.outFrom() + " " + Shell.quote(layout.outFile());
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
