package org.mailwright.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The shell run on the remote host to switch releases, and to switch back. A release is the staged tree: the jar,
 * jvm.options, the pid-file launcher (without systemd), the configuration and secrets under {@code data/}, and the
 * unit (with systemd). Switching moves every file it replaces to {@code DIR/previous} (and lists the ones it adds),
 * so until the new engine has answered on every listener the old release can be put back exactly; the queue,
 * mailboxes and maillog are never in a release, so neither direction touches them.
 *
 * <p>The scripts are shell files beside this class ({@code install.sh}, {@code rollback.sh}, the functions they share
 * in {@code release-common.sh}, the {@code launcher.sh} template); this class only sets the variables they read.
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
        return resource("launcher.sh").replace("@DIR@", Shell.quote(layout.dir())).replace("@COMMAND@", cmd);
    }

    /** Stop, move the old release to previous/, move the staged one into place, start. */
    static String install(RemoteLayout layout, String staging, Deployment.ServiceMode mode) {
        return variables(layout, mode) + "S=" + Shell.quote(staging) + "\n" + resource("release-common.sh") + resource("install.sh");
    }

    /**
     * Stops the new engine and puts previous/ back: replaced files return, added ones go, the unit is restored; the
     * old engine is started again if it ran before. Prints restored=yes|none and started=… .
     */
    static String rollback(RemoteLayout layout, Deployment.ServiceMode mode, String java) {
        return variables(layout, mode) + "J=" + Shell.quote(java) + "\n" + resource("release-common.sh") + resource("rollback.sh");
    }

    /** After the new engine answered on every listener: the old release is no longer needed. */
    static String commit(RemoteLayout layout) {
        return "rm -rf " + Shell.quote(layout.dir() + "/previous");
    }

    private static String variables(RemoteLayout layout, Deployment.ServiceMode mode) {
        return String.join("\n",
                "D=" + Shell.quote(layout.dir()),
                "SYSTEMD=" + (mode == Deployment.ServiceMode.SYSTEMD ? "yes" : "no"),
                "UNIT=" + Shell.quote(RemoteLayout.UNIT),
                "UNIT_PATH=" + Shell.quote(RemoteLayout.UNIT_PATH),
                "SERVICE_USER=" + Shell.quote(RemoteLayout.SERVICE_USER),
                "LAUNCHER=" + Shell.quote(LAUNCHER),
                "");
    }

    /** A script beside this class, as the jar carries it. */
    static String resource(String name) {
        try (InputStream in = ReleaseScripts.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the jar: rebuild it with `mvn package`");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
