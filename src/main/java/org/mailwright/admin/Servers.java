package org.mailwright.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mailwright.io.DurableFiles;

/**
 * The servers this desk deployed to or connected to, remembered in {@code DATA/servers.json} so the Deploy and
 * Connect dialogs can offer them. One entry per SSH target; no secrets (never a password), only where the key file
 * and known_hosts are. Written atomically (temp file, fsync, rename), mode 0600. Not part of a release: a deploy
 * uploads only the configuration, passwd, tls/ and dkim/.
 */
public final class Servers {
    public static final String FILE_NAME = "servers.json";

    /** One remembered server; empty strings for what was not given, null times for what never happened. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Server(String target, String identity, @JsonProperty("remote_dir") String remoteDir,
                         @JsonProperty("known_hosts") String knownHosts, @JsonProperty("last_deployed") Instant lastDeployed,
                         @JsonProperty("last_connected") Instant lastConnected) {
        public Server {
            identity = identity == null ? "" : identity;
            remoteDir = remoteDir == null ? "" : remoteDir;
            knownHosts = knownHosts == null ? "" : knownHosts;
        }

        /** The later of the two times: the list is shown most recent first. */
        Instant lastUsed() {
            Instant d = lastDeployed == null ? Instant.EPOCH : lastDeployed;
            Instant c = lastConnected == null ? Instant.EPOCH : lastConnected;
            return d.isAfter(c) ? d : c;
        }

        @Override
        public String toString() {
            return target;
        }
    }

    private record ServerFile(List<Server> servers) {}

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;

    private Servers(Path file) {
        this.file = file;
    }

    public static Servers in(Path dataDir) {
        return new Servers(dataDir.resolve(FILE_NAME));
    }

    public Path file() {
        return file;
    }

    /** The remembered servers, most recently used first; none when the file does not exist or cannot be read. */
    public List<Server> list() {
        if (!Files.exists(file)) return List.of();
        try {
            ServerFile f = JSON.readValue(file.toFile(), ServerFile.class);
            if (f.servers() == null) return List.of();
            return f.servers().stream().filter(s -> s.target() != null && !s.target().isBlank())
                    .sorted(Comparator.comparing(Server::lastUsed).reversed()).toList();
        } catch (IOException e) {
            return List.of(); // a damaged list is rewritten by the next deploy or connect
        }
    }

    /** A deploy to {@code target} worked. */
    public synchronized void deployed(String target, Path identity, String remoteDir, Path knownHosts) throws IOException {
        Server old = find(target);
        put(new Server(target, text(identity), remoteDir, text(knownHosts), Instant.now(), old == null ? null : old.lastConnected()));
    }

    /** The app connected to {@code target}. */
    public synchronized void connected(String target, String identity, String remoteDir, String knownHosts) throws IOException {
        Server old = find(target);
        put(new Server(target, identity, remoteDir, knownHosts, old == null ? null : old.lastDeployed(), Instant.now()));
    }

    private Server find(String target) {
        return list().stream().filter(s -> s.target().equals(target)).findFirst().orElse(null);
    }

    private void put(Server s) throws IOException {
        List<Server> all = new ArrayList<>(list());
        all.removeIf(o -> o.target().equals(s.target()));
        all.add(0, s);
        DurableFiles.write(file, JSON.writeValueAsString(new ServerFile(all)) + "\n", true);
    }

    private static String text(Path p) {
        return p == null ? "" : p.toAbsolutePath().toString();
    }
}
