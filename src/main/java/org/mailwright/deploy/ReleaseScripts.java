package org.mailwright.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * The shell run on the remote host to switch releases, and to switch back. A release is the staged tree: the jar,
 * jvm.options, the pid-file launcher (without systemd), the configuration and secrets under {@code data/}, and the
 * unit (with systemd). Switching moves every file it replaces to {@code DIR/previous} (and lists the ones it adds),
 * so until the new engine has answered on every listener the old release can be put back exactly; the queue,
 * mailboxes and maillog are never in a release, so neither direction touches them.
 */
final class ReleaseScripts {
    static final String LAUNCHER = "mailwright-start";

    private ReleaseScripts() {}

    /**
     * The pid-file launcher (no systemd): starts the engine in its own session with exactly {@code options}, writes
     * the pid file and prints {@code started=PID}. A file of the release, so a rollback starts the old engine with
     * the old flags.
     */
    static String launcher(RemoteLayout layout, String java, List<String> options) {
        String cmd = Shell.quote(java) + (options.isEmpty() ? "" : " " + String.join(" ", options))
                + " -jar " + Shell.quote(layout.jar()) + " --data " + Shell.quote(layout.data()) + " serve";
        return String.join("\n",
                "#!/bin/sh",
                "# Written by `mailwright deploy` from jvm.options (deploying again replaces it): starts the engine with a pid file.",
                "D=" + Shell.quote(layout.dir()),
                "cd \"$D\" || exit 1",
                // setsid: the engine must not die with the SSH session that started it.
                "if command -v setsid >/dev/null 2>&1; then S=setsid; else S=; fi",
                "$S nohup " + cmd + " </dev/null >>\"$D/mailwright.out\" 2>&1 &",
                "echo $! > \"$D/mailwright.pid\"",
                "echo started=$!",
                "");
    }

    /** Stops whatever engine runs on this layout (SIGTERM, waits up to 60 s); prints stopped=…. */
    private static List<String> stop(ServiceModeLines m) {
        List<String> s = new ArrayList<>();
        if (m.systemd) {
            s.add("if systemctl is-active --quiet " + RemoteLayout.UNIT + "; then systemctl stop " + RemoteLayout.UNIT + "; echo stopped=" + RemoteLayout.UNIT + "; fi");
        }
        s.addAll(List.of(
                "PID=$(cat \"$D/mailwright.pid\" 2>/dev/null || true)",
                "if [ -n \"$PID\" ] && kill -0 \"$PID\" 2>/dev/null; then",
                "  kill -TERM \"$PID\"; i=0",
                "  while kill -0 \"$PID\" 2>/dev/null; do",
                "    i=$((i+1)); if [ $i -gt 600 ]; then echo \"the running engine (pid $PID) did not stop within 60 s after SIGTERM; look at $D/mailwright.out\" >&2; exit 3; fi",
                "    sleep 0.1",
                "  done",
                "  echo stopped=$PID",
                "fi",
                "rm -f \"$D/mailwright.pid\""));
        return s;
    }

    private record ServiceModeLines(boolean systemd) {}

    /** Where the engine's output of this start begins: a byte offset in mailwright.out, or a time for the journal. */
    private static final String MARK_OUTPUT = "echo outfrom=$(( $(stat -c %s \"$D/mailwright.out\" 2>/dev/null || echo 0) + 1 )); echo since=$(date +%s)";

    /** Stop, move the old release to previous/, move the staged one into place, start. */
    static String install(RemoteLayout layout, String staging, Deployment.ServiceMode mode) {
        boolean systemd = mode == Deployment.ServiceMode.SYSTEMD;
        List<String> s = new ArrayList<>(List.of(
                "set -e",
                "S=" + Shell.quote(staging),
                "D=" + Shell.quote(layout.dir()),
                "P=\"$D/previous\"",
                "mkdir -p \"$D/data\"",
                "chmod 0755 \"$D\"",
                "chmod 0700 \"$D/data\""));
        if (systemd) {
            s.add("id " + RemoteLayout.SERVICE_USER + " >/dev/null 2>&1 || useradd --system --user-group --home-dir \"$D\" --no-create-home"
                    + " --shell /usr/sbin/nologin " + RemoteLayout.SERVICE_USER);
        }
        s.add("WAS=no");
        s.add("if [ -n \"$(cat \"$D/mailwright.pid\" 2>/dev/null)\" ] && kill -0 \"$(cat \"$D/mailwright.pid\")\" 2>/dev/null; then WAS=yes; fi");
        if (systemd) s.add("if systemctl is-active --quiet " + RemoteLayout.UNIT + "; then WAS=yes; fi");
        s.addAll(stop(new ServiceModeLines(systemd)));
        s.addAll(List.of(
                // A previous/ left by a deploy that was cut off is the last release known to work; this one is what runs now.
                "rm -rf \"$P\"",
                "umask 077",
                "mkdir -p \"$P\"",
                "echo \"$WAS\" > \"$P/was-running\"",
                ": > \"$P/added\"",
                "cd \"$S\"",
                "find . -type f ! -name " + RemoteLayout.UNIT + " | while IFS= read -r f; do",
                "  if [ -e \"$D/$f\" ]; then mkdir -p \"$P/$(dirname \"$f\")\"; mv -f \"$D/$f\" \"$P/$f\"; else echo \"$f\" >> \"$P/added\"; fi",
                "  mkdir -p \"$D/$(dirname \"$f\")\"; mv -f \"$f\" \"$D/$f\"",
                "done",
                "cd /"));
        if (systemd) {
            s.add("if [ -f " + RemoteLayout.UNIT_PATH + " ]; then cp -p " + RemoteLayout.UNIT_PATH + " \"$P/" + RemoteLayout.UNIT + "\"; fi");
            s.add("mv -f \"$S/" + RemoteLayout.UNIT + "\" " + RemoteLayout.UNIT_PATH);
            s.add("rm -rf \"$S\"");
            s.add("chown -R " + RemoteLayout.SERVICE_USER + ":" + RemoteLayout.SERVICE_USER + " \"$D/data\"");
            s.add("systemctl daemon-reload");
            s.add("systemctl enable --quiet " + RemoteLayout.UNIT);
            s.add(MARK_OUTPUT);
            s.add("systemctl restart " + RemoteLayout.UNIT);
            s.add("echo started=" + RemoteLayout.UNIT);
        } else {
            s.add("rm -rf \"$S\"");
            s.add(MARK_OUTPUT);
            s.add("sh \"$D/" + LAUNCHER + "\"");
        }
        return String.join("\n", s) + "\n";
    }

    /**
     * Stops the new engine and puts previous/ back: replaced files return, added ones go, the unit is restored; the
     * old engine is started again if it ran before. Prints restored=yes|none and started=… .
     */
    static String rollback(RemoteLayout layout, Deployment.ServiceMode mode, String java) {
        boolean systemd = mode == Deployment.ServiceMode.SYSTEMD;
        List<String> s = new ArrayList<>(List.of(
                "D=" + Shell.quote(layout.dir()),
                "P=\"$D/previous\"",
                "J=" + Shell.quote(java)));
        s.addAll(stop(new ServiceModeLines(systemd)));
        s.addAll(List.of(
                "if [ ! -f \"$P/was-running\" ]; then echo restored=none; exit 0; fi",
                "cd \"$P\"",
                "find . -type f ! -name was-running ! -name added ! -name " + RemoteLayout.UNIT + " | while IFS= read -r f; do",
                "  mkdir -p \"$D/$(dirname \"$f\")\"; mv -f \"$f\" \"$D/$f\"",
                "done",
                "while IFS= read -r f; do rm -f \"$D/$f\"; done < \"$P/added\"",
                "cd /",
                "WAS=$(cat \"$P/was-running\")"));
        if (systemd) {
            s.add("if [ -f \"$P/" + RemoteLayout.UNIT + "\" ]; then mv -f \"$P/" + RemoteLayout.UNIT + "\" " + RemoteLayout.UNIT_PATH
                    + "; else systemctl disable --quiet " + RemoteLayout.UNIT + " 2>/dev/null || true; rm -f " + RemoteLayout.UNIT_PATH + "; fi");
            s.add("chown -R " + RemoteLayout.SERVICE_USER + ":" + RemoteLayout.SERVICE_USER + " \"$D/data\"");
            s.add("systemctl daemon-reload");
        }
        s.add("rm -rf \"$P\"");
        s.add("echo restored=yes");
        s.add("if [ \"$WAS\" != yes ]; then exit 0; fi");
        s.add(MARK_OUTPUT);
        if (systemd) {
            s.add("if [ -f " + RemoteLayout.UNIT_PATH + " ]; then systemctl restart " + RemoteLayout.UNIT + " && echo started=" + RemoteLayout.UNIT + "; exit 0; fi");
        }
        // A release from before the launcher existed was started with plain nohup: start it the same way.
        s.add("if [ -f \"$D/" + LAUNCHER + "\" ]; then sh \"$D/" + LAUNCHER + "\"; else cd \"$D\";"
                + " if command -v setsid >/dev/null 2>&1; then S=setsid; else S=; fi;"
                + " $S nohup \"$J\" -jar \"$D/mailwright.jar\" --data \"$D/data\" serve </dev/null >>\"$D/mailwright.out\" 2>&1 &"
                + " echo $! > \"$D/mailwright.pid\"; echo started=$!; fi");
        return String.join("\n", s) + "\n";
    }

    /** After the new engine answered on every listener: the old release is no longer needed. */
    static String commit(RemoteLayout layout) {
        return "rm -rf " + Shell.quote(layout.dir() + "/previous");
    }
}
