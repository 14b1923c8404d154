package org.mailwright.smtp;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import org.mailwright.config.Config;

/**
 * A {@code [[listen]]} block that cannot be opened: which one (its place in the file, from 0), why, and what to do.
 * The message names mailwright.conf (the CLI's reader edits it); the app names its own field instead, from
 * {@link #problem()} and {@link #index()}.
 */
public final class ListenerUnavailable extends IOException {
    public enum Reason { PRIVILEGED, IN_USE, ADDRESS }

    private final int index;
    private final Config.Listener listener;
    private final Reason reason;
    private final String detail;

    private ListenerUnavailable(int index, Config.Listener listener, Reason reason, String detail, Throwable cause) {
        super(null, cause);
        this.index = index;
        this.listener = listener;
        this.reason = reason;
        this.detail = detail;
    }

    /** The listener at {@code index} failed to bind with {@code e} (a BindException, possibly wrapped). */
    public static ListenerUnavailable of(int index, Config.Listener listener, Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof BindException)) cause = cause.getCause();
        return new ListenerUnavailable(index, listener, reasonOf(cause), String.valueOf(cause.getMessage()), e);
    }

    /** How a bind failure reads: the kernel's words are all there is ("Permission denied", "Address already in use"). */
    public static Reason reasonOf(Throwable bindFailure) {
        String m = String.valueOf(bindFailure.getMessage());
        if (bindFailure instanceof BindException && m.contains("ermission")) return Reason.PRIVILEGED;
        if (bindFailure instanceof BindException && m.contains("in use")) return Reason.IN_USE;
        return Reason.ADDRESS;
    }

    /**
     * Binds a server socket on the address and port as the listeners do (SO_REUSEADDR) and closes it at once: a port
     * that passes is free for the engine. An empty address means every address.
     */
    public static void probe(String address, int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(address.isEmpty() ? "0.0.0.0" : address), port));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e); // a port out of range
        }
    }

    /**
     * Before a restart: the first of {@code next} that cannot be bound now. One the running engine holds
     * ({@code held}, same address and port) counts as free, since the restart releases it first; only the others
     * are tried.
     */
    public static Optional<ListenerUnavailable> firstUnbindable(List<Config.Listener> next, List<Config.Listener> held) {
        for (int i = 0; i < next.size(); i++) {
            Config.Listener l = next.get(i);
            if (held.stream().anyMatch(h -> h.port() == l.port() && h.address().equals(l.address()))) continue;
            try {
                probe(l.address(), l.port());
            } catch (IOException e) {
                return Optional.of(of(i, l, e));
            }
        }
        return Optional.empty();
    }

    public int index() {
        return index;
    }

    public Config.Listener listener() {
        return listener;
    }

    public Reason reason() {
        return reason;
    }

    /** What is wrong, without the fix: {@code cannot listen on 127.0.0.1 port 25: the port is already in use (…)}. */
    public String problem() {
        String what = "cannot listen on " + listener.address() + " port " + listener.port() + ": ";
        return what + switch (reason) {
            case PRIVILEGED -> "ports below 1024 need root or CAP_NET_BIND_SERVICE";
            case IN_USE -> "the port is already in use (another mail server?)";
            case ADDRESS -> detail;
        };
    }

    @Override
    public String getMessage() {
        return problem() + switch (reason) {
            case PRIVILEGED -> "; run as root or change the port in mailwright.conf (e.g. 2525)";
            case IN_USE -> "; stop it or change the port in mailwright.conf";
            case ADDRESS -> " — check that the address belongs to this host";
        };
    }
}
