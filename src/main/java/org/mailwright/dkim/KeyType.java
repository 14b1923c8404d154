package org.mailwright.dkim;

import java.util.Locale;

/** The DKIM key types Mailwright can generate and sign with. */
public enum KeyType {
    /** RSA, 2048 bits by default; {@code a=rsa-sha256} (RFC 6376 §3.3.1). */
    RSA("rsa", "rsa-sha256"),
    /** Ed25519; {@code a=ed25519-sha256} (RFC 8463). */
    ED25519("ed25519", "ed25519-sha256");

    private final String keyTag;
    private final String algorithmTag;

    KeyType(String keyTag, String algorithmTag) {
        this.keyTag = keyTag;
        this.algorithmTag = algorithmTag;
    }

    /** The {@code k=} value of the DNS key record. */
    public String keyTag() {
        return keyTag;
    }

    /** The {@code a=} value of the DKIM-Signature header. */
    public String algorithmTag() {
        return algorithmTag;
    }

    /** Parses "rsa" or "ed25519" (any case), as a user types it on the command line. */
    public static KeyType parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (KeyType type : values()) {
            if (type.keyTag.equals(t)) {
                return type;
            }
        }
        throw new IllegalArgumentException(
                "unknown DKIM key type '" + text + "': use rsa or ed25519");
    }
}
