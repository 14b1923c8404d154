package org.mailwright.deploy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where to deploy: {@code USER@HOST[:PORT]}, IPv6 hosts in brackets ({@code root@[2001:db8::1]:2222}). */
public record SshTarget(String user, String host, int port) {
    private static final Pattern FORM = Pattern.compile("([^@\\s]+)@(\\[[^\\]]+\\]|[^:\\s]+)(?::(\\d{1,5}))?");

    public static SshTarget parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not USER@HOST[:PORT] — for example root@mail.example.org or root@203.0.113.5:2222");
        }
        String host = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
        int port = m.group(3) == null ? 22 : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) throw new IllegalArgumentException("SSH port " + port + " is out of range 1-65535");
        return new SshTarget(m.group(1), host, port);
    }

    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return user + "@" + h + (port == 22 ? "" : ":" + port);
    }
}
