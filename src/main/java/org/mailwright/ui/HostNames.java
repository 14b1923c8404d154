package org.mailwright.ui;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Checks for the Host page: fully qualified names, IP addresses, and the addresses this machine has. */
public final class HostNames {
    private HostNames() {}

    /** Why {@code name} is not a fully qualified domain name (RFC 1123 §2.1), or null when it is. */
    public static String checkFqdn(String name, String what) {
        if (name == null || name.isBlank()) return what + " is empty";
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) n = n.substring(0, n.length() - 1);
        if (n.length() > 253) return what + " is longer than 253 characters";
        String[] labels = n.split("\\.", -1);
        if (labels.length < 2) return what + " \"" + name.strip() + "\" is not fully qualified: it needs a domain, like mail.example.org";
        if (!org.mailwright.mail.HostName.isValid(n)) { // the rule the configuration and the SMTP checks use
            return what + " \"" + name.strip() + "\": each part between dots must be letters, digits or '-' (not at either end)";
        }
        if (labels[labels.length - 1].matches("\\d+")) return what + " \"" + name.strip() + "\" looks like an IP address, not a name";
        return null;
    }

    public static String checkIpv4(String ip) {
        if (ip == null || ip.isBlank()) return null; // optional
        return org.mailwright.mail.HostName.isIpv4(ip.strip()) ? null : "\"" + ip.strip() + "\" is not an IPv4 address like 203.0.113.7";
    }

    public static String checkIpv6(String ip) {
        if (ip == null || ip.isBlank()) return null;
        String s = ip.strip();
        return org.mailwright.mail.HostName.isIpv6(s) ? null : "\"" + s + "\" is not an IPv6 address like 2001:db8::7";
    }

    /** Domains typed as "a.org, b.org" or one per line. */
    public static List<String> splitDomains(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) return out;
        for (String d : text.split("[,;\\s]+")) {
            String t = d.strip().toLowerCase(Locale.ROOT);
            if (!t.isEmpty() && !out.contains(t)) out.add(t);
        }
        return out;
    }

    /** Global addresses of this machine's interfaces (the public IP is usually among them on a VPS). */
    public static List<String> interfaceAddresses(boolean v6) {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) continue;
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isMulticastAddress()) continue;
                    if (v6 && a instanceof Inet6Address) {
                        String s = a.getHostAddress();
                        int pct = s.indexOf('%');
                        out.add(pct >= 0 ? s.substring(0, pct) : s);
                    } else if (!v6 && a instanceof Inet4Address) {
                        out.add(a.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces to offer: the field stays free to type in
        }
        return out;
    }
}
