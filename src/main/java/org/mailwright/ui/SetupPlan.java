package org.mailwright.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mailwright.admin.LocalAdmin;
import org.mailwright.admin.Results;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigLoader;
import org.mailwright.config.ConfigWriter;
import org.mailwright.io.DurableFiles;
import org.mailwright.lookup.Passwd;
import org.mailwright.tls.Pem;

/**
 * Everything the wizard collected, written in one go on Finish (nothing before): certificate, DKIM key,
 * mailwright.conf (checked by reading it back first), the users in DATA/passwd, and the aliases chosen (through
 * the admin layer, which checks DATA/aliases before replacing it and keeps its other lines and comments).
 */
public record SetupPlan(Config config, TlsChoice tls, Path certFile, Path keyFile, List<UserDraft> users,
                        List<String> removedUsers, List<Results.Alias> aliases, List<String> removedAliases, Path dkimKeyFile) {

    /** How the wizard gets the certificate; KEEP (a re-run's default) leaves the one in use as it is. */
    public enum TlsChoice { KEEP, ACME, SELF_SIGNED, FILES }

    /** A user as the wizard holds it; a null password keeps an existing user's password. */
    public record UserDraft(String name, String password) {
        @Override
        public String toString() {
            return name;
        }
    }

    public void apply(Path data, CertificateSource certificates) throws IOException, ConfigException {
        DurableFiles.createPrivateDirectory(data);
        Path cert = config.tls().certPath(data);
        Path key = config.tls().keyPath(data);
        DurableFiles.createPrivateDirectory(cert.getParent());
        switch (tls) {
            case FILES -> {
                Pem.readCertificates(certFile); // refuse files that are not what they claim before copying
                Pem.readPrivateKey(keyFile);
                DurableFiles.write(cert, Files.readAllBytes(certFile), false);
                DurableFiles.write(key, Files.readAllBytes(keyFile), true);
            }
            case SELF_SIGNED -> certificates.selfSigned(config, data);
            // Finish asks Let's Encrypt next (WizardViewModel.finish); the listeners start with the certificate in
            // use, or a self-signed one when there is none, and the issued one replaces it only once it is issued.
            case ACME -> {
                if (!Files.exists(cert) || !Files.exists(key)) certificates.selfSigned(config, data);
            }
            case KEEP -> { }
        }
        if (dkimKeyFile != null && Files.exists(dkimKeyFile)) {
            Path dkimDir = data.resolve("dkim");
            DurableFiles.createPrivateDirectory(dkimDir);
            Path target = dkimDir.resolve(dkimKeyFile.getFileName());
            if (!Files.exists(target)) DurableFiles.write(target, Files.readAllBytes(dkimKeyFile), true);
        }
        String toml = ConfigWriter.toToml(config);
        ConfigLoader.parse(toml, data); // never write what we could not read back
        org.mailwright.config.ConfigEdit.saveChanges(data, config); // a re-run edits what changed: comments stay
        Passwd passwd = new Passwd(data);
        for (String gone : removedUsers) passwd.delete(gone);
        for (UserDraft u : users) {
            if (u.password() != null) passwd.set(u.name(), u.password());
        }
        if (aliases.isEmpty() && removedAliases.isEmpty()) return;
        try (LocalAdmin admin = new LocalAdmin(data)) {
            List<String> there = admin.aliases().stream().map(Results.Alias::name).toList();
            for (String gone : removedAliases) {
                if (there.contains(gone)) admin.aliasDelete(gone);
            }
            for (Results.Alias a : aliases) {
                if (there.contains(a.name())) admin.aliasDelete(a.name()); // the page's targets replace the old ones
                admin.aliasAdd(a.name(), a.targets());
            }
        }
    }
}
