package org.mailwright.dkim;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;

/**
 * A DKIM signing key: the selector it is published under
 * ({@code SELECTOR._domainkey.DOMAIN}), its type and the key pair.
 */
public record DkimKey(String selector, KeyType type, PrivateKey privateKey, PublicKey publicKey) {

    public DkimKey {
        DkimKeys.checkSelector(selector);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "DkimKey[selector=" + selector + ", type=" + type + "]";
    }
}
