package org.mailwright.deploy;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * Host key checking as OpenSSH's {@code StrictHostKeyChecking=yes} does it, against a {@code known_hosts} file:
 * a known key passes; an unknown key passes only when the user confirmed its SHA256 fingerprint (then it is
 * added to the file); a key that differs from the recorded one never passes.
 */
public final class HostKeys implements ServerKeyVerifier {

    /** What the last check found. */
    public enum Verdict { NOT_CHECKED, KNOWN, ACCEPTED_NEW, UNKNOWN, CHANGED }

    private final Path knownHosts;
    private final String acceptFingerprint;
    private final SshTarget target;
    private volatile Verdict verdict = Verdict.NOT_CHECKED;
    private volatile String offeredFingerprint = "";
    private volatile String keyType = "";

    /** @param acceptFingerprint {@code SHA256:…} the user confirmed for a host not yet in the file, or empty */
    public HostKeys(Path knownHosts, SshTarget target, String acceptFingerprint) {
        this.knownHosts = knownHosts;
        this.target = target;
        this.acceptFingerprint = acceptFingerprint == null ? "" : acceptFingerprint.trim();
    }

    public static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    public Verdict verdict() {
        return verdict;
    }

    public String offeredFingerprint() {
        return offeredFingerprint;
    }

    public Path file() {
        return knownHosts;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey serverKey) {
        offeredFingerprint = fingerprint(serverKey);
        keyType = KeyUtils.getKeyType(serverKey);
        try {
            List<PublicKey> recorded = recordedKeys(session, serverKey);
            if (recorded.stream().anyMatch(k -> KeyUtils.compareKeys(k, serverKey))) {
                verdict = Verdict.KNOWN;
                return true;
            }
            if (!recorded.isEmpty()) {
                verdict = Verdict.CHANGED;
                return false;
            }
            if (!acceptFingerprint.isEmpty() && acceptFingerprint.equals(offeredFingerprint)) {
                append(serverKey);
                verdict = Verdict.ACCEPTED_NEW;
                return true;
            }
            verdict = Verdict.UNKNOWN;
            return false;
        } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
            verdict = Verdict.UNKNOWN;
            return false;
        }
    }

    /** Keys the file records for this host and port, of the same type as the offered key. */
    private List<PublicKey> recordedKeys(ClientSession session, PublicKey offered) throws IOException, java.security.GeneralSecurityException {
        if (!Files.exists(knownHosts)) return List.of();
        List<KnownHostEntry> entries = KnownHostEntry.readKnownHostEntries(knownHosts);
        java.util.ArrayList<PublicKey> keys = new java.util.ArrayList<>();
        for (KnownHostEntry e : entries) {
            if ("revoked".equals(e.getMarker()) || "cert-authority".equals(e.getMarker())) continue;
            boolean match = e.getHashedEntry() != null
                    ? e.getHashedEntry().isHostMatch(target.host(), target.port())
                    : e.isHostMatch(target.host(), target.port());
            if (!match || e.getKeyEntry() == null) continue;
            PublicKey k = e.getKeyEntry().resolvePublicKey(session, null, PublicKeyEntryResolver.IGNORING);
            if (k != null && KeyUtils.getKeyType(k).equals(KeyUtils.getKeyType(offered))) keys.add(k);
        }
        return keys;
    }

    private void append(PublicKey key) throws IOException {
        String hostField = target.port() == 22 ? target.host() : "[" + target.host() + "]:" + target.port();
        String line = hostField + " " + PublicKeyEntry.toString(key) + "\n";
        if (knownHosts.getParent() != null) Files.createDirectories(knownHosts.getParent());
        String before = Files.exists(knownHosts) ? Files.readString(knownHosts) : "";
        String sep = before.isEmpty() || before.endsWith("\n") ? "" : "\n";
        Files.writeString(knownHosts, sep + line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The message for a connection this check refused, or empty when the refusal was not ours. */
    public Optional<String> refusal() {
        return switch (verdict) {
            case UNKNOWN -> Optional.of("the host key of " + target + " is not in " + knownHosts + "; its " + keyType
                    + " key fingerprint is " + offeredFingerprint + " — compare it with `ssh-keygen -lf /etc/ssh/ssh_host_"
                    + keyTypeFile() + "_key.pub` on the server, then run again with --accept-host-key " + offeredFingerprint
                    + (acceptFingerprint.isEmpty() ? "" : " (the fingerprint you gave, " + acceptFingerprint + ", does not match)"));
            case CHANGED -> Optional.of("WARNING: the host key of " + target + " has CHANGED (now " + keyType + " " + offeredFingerprint
                    + ", not the one recorded in " + knownHosts + "). Someone may be intercepting the connection, or the server was"
                    + " reinstalled. Deploy stopped; if the change is expected, remove the old entry with `ssh-keygen -R "
                    + (target.port() == 22 ? target.host() : "'[" + target.host() + "]:" + target.port() + "'") + " -f " + knownHosts
                    + "` and confirm the new fingerprint");
            default -> Optional.empty();
        };
    }

    private String keyTypeFile() {
        if (keyType.contains("ed25519")) return "ed25519";
        if (keyType.contains("ecdsa")) return "ecdsa";
        return "rsa";
    }
}
