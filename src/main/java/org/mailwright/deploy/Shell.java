package org.mailwright.deploy;

/** POSIX sh quoting for the commands sent over SSH. */
final class Shell {
    private Shell() {}

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
