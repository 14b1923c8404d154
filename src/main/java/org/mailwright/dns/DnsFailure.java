package org.mailwright.dns;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.lookup.ServerFailedException;

/**
 * Why a DNS question got no usable answer, in words that name the resolver: the one wording for the checker
 * ({@link DnsClient}) and for delivery ({@code mta/MxLookup}), so a queued message's last error says what to fix.
 */
public final class DnsFailure {
    private DnsFailure() {}

    /**
     * {@code cause} as a person reads it; {@code resolver} is where the question went ({@code 127.0.0.1:53}, "the
     * system resolver …"), {@code timeout} how long it had to answer.
     */
    public static String words(Throwable cause, String resolver, Duration timeout) {
        String m = cause == null ? null : cause.getMessage();
        if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException
                || (m != null && m.toLowerCase(Locale.ROOT).contains("timed out"))) {
            return noAnswer(resolver, timeout);
        }
        // UDP gets an ICMP port unreachable, TCP a refused connection: no DNS server at that address.
        if (cause instanceof PortUnreachableException || cause instanceof ConnectException) {
            return resolver + " refused the query (nothing listens there)";
        }
        if (cause instanceof ServerFailedException) return resolver + " answered SERVFAIL";
        if (cause == null) return "no reason given (asked " + resolver + ")";
        return (m == null || m.isBlank() ? className(cause) : m) + " (asked " + resolver + ")";
    }

    /** The words for a question that was not answered in time. */
    public static String noAnswer(String resolver, Duration timeout) {
        return "no answer from " + resolver + " within " + seconds(timeout);
    }

    /** How a resolver's address is named in these words: {@code 127.0.0.1:53}, {@code [::1]:53}. */
    public static String name(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** {@code PortUnreachableException} → "port unreachable": for exceptions that carry no message. */
    static String className(Throwable t) {
        String name = t.getClass().getSimpleName().replaceFirst("(Exception|Error)$", "");
        if (name.isEmpty()) name = t.getClass().getSimpleName();
        return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
