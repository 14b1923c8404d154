package org.mailwright.deploy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

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
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(address.isEmpty() ? "0.0.0.0" : address), port));
            return "ok " + where;
        } catch (BindException e) {
            String m = String.valueOf(e.getMessage());
            return (m.contains("in use") ? "inuse " : "fail ") + where + " " + m.replace('\n', ' ');
        } catch (IOException | RuntimeException e) {
            return "fail " + where + " " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }
}
