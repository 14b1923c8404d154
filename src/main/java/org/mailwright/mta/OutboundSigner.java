package org.mailwright.mta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwright.dkim.DkimKey;
import org.mailwright.dkim.DkimKeys;
import org.mailwright.dkim.DkimSigner;

/**
 * DKIM on the way out: a message whose From: domain is one of ours is signed with every key in
 * {@code DATA/dkim} (RSA and Ed25519 both when both exist, RFC 8463 §1) just before it is sent; the spool
 * keeps the message as received. Keys added with {@code dkim keygen} while the engine runs are picked up.
 */
final class OutboundSigner {
    private static final Pattern ADDRESS = Pattern.compile("<\\s*[^<>@\\s]+@([^<>\\s]+?)\\s*>|[^\\s<>,;:\"@]+@([A-Za-z0-9.-]+)");

    private final Path dkimDir;
    private final Predicate<String> isOurDomain;
    private final DkimSigner signer = new DkimSigner();
    private List<DkimKey> keys = List.of();
    private FileTime loadedStamp;

    OutboundSigner(Path dkimDir, Predicate<String> isOurDomain) {
        this.dkimDir = dkimDir;
        this.isOurDomain = isOurDomain;
    }

    /** The signing domain and the selectors used, or empty when the message goes unsigned. */
    record Signed(byte[] message, Optional<String> domain, List<String> selectors) {}

    /** Signs when the From: domain is ours and keys exist; otherwise returns the message as it is. */
    Signed sign(byte[] message) throws IOException {
        List<DkimKey> current = keys();
        if (current.isEmpty()) return new Signed(message, Optional.empty(), List.of());
        Optional<String> domain = fromDomain(message);
        if (domain.isEmpty() || !isOurDomain.test(domain.get())) return new Signed(message, Optional.empty(), List.of());
        byte[] signed = signer.sign(message, domain.get(), current);
        return new Signed(signed, domain, current.stream().map(k -> k.selector() + "/" + k.type().keyTag()).toList());
    }

    private synchronized List<DkimKey> keys() throws IOException {
        FileTime stamp = Files.isDirectory(dkimDir) ? Files.getLastModifiedTime(dkimDir) : null;
        if (stamp == null) return keys = List.of();
        if (!stamp.equals(loadedStamp)) {
            keys = DkimKeys.loadAll(dkimDir);
            loadedStamp = stamp;
        }
        return keys;
    }

    /** The domain of the (first) address in the From: header field (RFC 5322 §3.6.2), lower case. */
    static Optional<String> fromDomain(byte[] message) {
        String from = headerField(message, "from");
        if (from == null) return Optional.empty();
        Matcher m = ADDRESS.matcher(from);
        if (!m.find()) return Optional.empty();
        String d = m.group(1) != null ? m.group(1) : m.group(2);
        return Optional.of(d.toLowerCase(Locale.ROOT));
    }

    /** The unfolded value of the first header field with that name, or null. */
    static String headerField(byte[] message, String name) {
        String head = headerBlock(message);
        String[] lines = head.split("\r?\n");
        StringBuilder value = null;
        for (String line : lines) {
            if (value != null) {
                if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                    value.append(line);
                    continue;
                }
                return value.toString().trim();
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                value = new StringBuilder(line.substring(colon + 1));
            }
        }
        return value == null ? null : value.toString().trim();
    }

    private static String headerBlock(byte[] message) {
        int end = message.length;
        for (int i = 0; i + 1 < message.length; i++) {
            if (message[i] == '\n' && (message[i + 1] == '\n' || (message[i + 1] == '\r' && i + 2 < message.length && message[i + 2] == '\n'))) {
                end = i;
                break;
            }
        }
        return new String(message, 0, end, StandardCharsets.ISO_8859_1);
    }
}
