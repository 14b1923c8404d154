package org.mailwright.deploy;

import java.io.IOException;
import org.mailwright.smtp.ListenerUnavailable;

/**
 * Run on the remote host from the staged jar before anything there changes: can each listener's address and port
 * be bound? {@code java -cp mailwright.jar org.mailwright.deploy.BindCheck ADDR PORT [ADDR PORT …]} prints one line
 * per listener: {@code ok ADDR PORT}, {@code inuse ADDR PORT message} (deploy then asks whose socket it is: the old
 * engine's is fine) or {@code fail ADDR PORT message} (a bad address, a privileged port, …). The socket is closed at
 * once; the engine binds with SO_REUSEADDR as this does, so a port that passes here is free for it.
 */
public final class BindCheck {
    private BindCheck() {}

    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            System.out.println(check(args[i], Integer.parseInt(args[i + 1])));
        }
    }

    static String check(String address, int port) {
        String where = address + " " + port;
        try {
            ListenerUnavailable.probe(address, port);
            return "ok " + where;
        } catch (IOException | RuntimeException e) {
            boolean inUse = ListenerUnavailable.reasonOf(e) == ListenerUnavailable.Reason.IN_USE;
            return (inUse ? "inuse " : "fail ") + where + " " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }
}
