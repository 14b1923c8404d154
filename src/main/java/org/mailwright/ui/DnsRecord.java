package org.mailwright.ui;

/**
 * One DNS record the user publishes: what the DNS table, "Copy" and the zone file show.
 * MX values are {@code "PREFERENCE HOST"}; PTR records are set at the hosting provider, not in the zone.
 */
public record DnsRecord(String type, String name, String value, String why, boolean required) {

    /** The record as a zone-file line; TXT values are split into 255-byte strings (RFC 1035 §3.3.14). */
    public String zoneLine() {
        String data = switch (type) {
            case "TXT" -> txt(value);
            case "MX" -> {
                String[] parts = value.split(" ", 2);
                yield parts.length == 2 ? parts[0] + " " + absolute(parts[1]) : "10 " + absolute(value);
            }
            case "CNAME", "PTR", "NS" -> absolute(value);
            case "SRV" -> {
                int host = value.lastIndexOf(' ');
                yield host < 0 ? value : value.substring(0, host + 1) + absolute(value.substring(host + 1));
            }
            default -> value;
        };
        return absolute(name) + "\t3600\tIN\t" + type + "\t" + data;
    }

    static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    static String txt(String value) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < value.length(); i += 255) {
            if (b.length() > 0) b.append(' ');
            String part = value.substring(i, Math.min(value.length(), i + 255));
            b.append('"').append(part.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.length() == 0 ? "\"\"" : b.toString();
    }
}
