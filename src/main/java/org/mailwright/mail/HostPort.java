package org.mailwright.mail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * {@code HOST:PORT} as the configuration writes a resolver, a smarthost or a probe target; an IPv6 host in
 * brackets ({@code [2001:db8::1]:53}). The one parser for all of them.
 */
public record HostPort(String host, int port) {

    /** Splits at the last colon and drops the brackets; throws with the text in the message when it cannot. */
    public static HostPort parse(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("\"" + s + "\" is not HOST:PORT");
        String host = s.substring(0, colon).replaceAll("^\\[|]$", "");
        try {
            return new HostPort(host, Integer.parseInt(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + s + "\" has no port number");
        }
    }

    /** Whether {@code s} is HOST:PORT with a valid host name or IP address and a port from 1 to 65535. */
    public static boolean isValid(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) return false;
        String host = s.substring(0, colon).replaceAll("^\\[|]$", "");
        String port = s.substring(colon + 1);
        return (HostName.isValid(host) || HostName.isIpv4(host) || HostName.isIpv6(host)) && port.matches("\\d{1,5}")
                && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
    }

    /** Whether the host is written as an IP address rather than a name. */
    public boolean isIpLiteral() {
        return host.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    }

    /** The socket address of an IP literal, or null when the host is a name (or not a usable literal). */
    public InetSocketAddress literalAddress() {
        if (!isIpLiteral()) return null;
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The socket address, a name looked up by the system's resolver. */
    public InetSocketAddress address() throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }
}
