package org.mailwright.deploy;

/**
 * Where things live on the remote host: {@code DIR/mailwright.jar}, {@code DIR/data} (the data directory, same
 * layout as on the desk), {@code DIR/jvm.options} (the engine's JVM flags), {@code DIR/mailwright-start},
 * {@code DIR/mailwright.pid} and {@code DIR/mailwright.out} when run without systemd, and {@code DIR/previous} (the
 * release before, only while a deploy has not yet seen the new engine answer).
 */
public record RemoteLayout(String dir) {
    public static final String UNIT = "mailwright.service";
    public static final String UNIT_PATH = "/etc/systemd/system/" + UNIT;
    public static final String SERVICE_USER = "mailwright";

    public RemoteLayout {
        if (!dir.startsWith("/")) throw new IllegalArgumentException("remote dir must be an absolute path: " + dir);
        while (dir.length() > 1 && dir.endsWith("/")) dir = dir.substring(0, dir.length() - 1);
    }

    /** /opt/mailwright when logged in as root, else ~/mailwright. */
    public static RemoteLayout defaultFor(int uid, String home) {
        return new RemoteLayout(uid == 0 ? "/opt/mailwright" : home + "/mailwright");
    }

    public String jar() {
        return dir + "/mailwright.jar";
    }

    public String data() {
        return dir + "/data";
    }

    public String jvmOptions() {
        return dir + "/" + JvmOptions.FILE_NAME;
    }

    public String launcher() {
        return dir + "/" + ReleaseScripts.LAUNCHER;
    }

    public String previous() {
        return dir + "/previous";
    }

    public String pidFile() {
        return dir + "/mailwright.pid";
    }

    public String outFile() {
        return dir + "/mailwright.out";
    }

    public String maillog() {
        return data() + "/log/maillog";
    }

    /** A sibling of the remote dir (same file system, so the final moves are renames) that a cancel simply removes. */
    public String staging(String nonce) {
        int slash = dir.lastIndexOf('/');
        String parent = slash == 0 ? "" : dir.substring(0, slash);
        return parent + "/." + dir.substring(slash + 1) + ".staging-" + nonce;
    }

    /**
     * The remote CLI on this layout, as the user that owns the data (the service user when the engine runs under
     * systemd, so files it creates stay readable by the service).
     */
    public String cli(String args) {
        return cli("", args);
    }

    /**
     * {@link #cli(String)} for the admin layer's many short runs (one per remote operation): the JVM starts in well
     * under a second with a class-data-sharing archive of the CLI's classes ({@code DATA/.cli.jsa}, made by the first
     * run after each upgrade, as the data's owner, so nobody else can plant one), the client compiler and the serial
     * GC. {@code -Xlog:disable} keeps a stale or missing archive from printing into the JSON on stdout.
     */
    public String quickCli(String args) {
        String a = Shell.quote(data() + "/.cli.jsa");
        return "A=" + a + "; if [ -f \"$A\" ] && [ ! " + Shell.quote(jar()) + " -nt \"$A\" ]; "
                + "then X=-XX:SharedArchiveFile=\"$A\"; else X=-XX:ArchiveClassesAtExit=\"$A\"; fi; "
                + cli("-Xlog:disable -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \"$X\"", args);
    }

    private String cli(String jvmOptions, String args) {
        String q = Shell.quote(data());
        return "O=$(stat -c %U " + q + " 2>/dev/null); "
                + "if [ \"$(id -u)\" = 0 ] && [ -n \"$O\" ] && [ \"$O\" != root ] && command -v runuser >/dev/null; "
                + "then set -- runuser -u \"$O\" --; else set --; fi; "
                + "\"$@\" java " + (jvmOptions.isEmpty() ? "" : jvmOptions + " ") + "-jar " + Shell.quote(jar()) + " --data " + q + " " + args;
    }
}
