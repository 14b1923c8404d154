package org.mailwright.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The control socket, {@code DATA/control.sock} (mode 0600, like smtpd's control socket): one JSON request
 * per connection, one JSON answer. The CLI's {@code queue} commands go through it while the engine runs,
 * so nothing touches spool files behind the engine's back.
 */
public final class ControlServer implements AutoCloseable {
    public static final String SOCKET = "control.sock";

    private final Path path;
    private final QueueControl queue;
    private final Supplier<Object> status;
    private final ObjectMapper json = new ObjectMapper();
    private final ServerSocketChannel channel;
    private final Thread thread;

    public ControlServer(Path dataDir, QueueControl queue, Supplier<Object> status) throws IOException {
        this.path = dataDir.resolve(SOCKET);
        this.queue = queue;
        this.status = status;
        Files.deleteIfExists(path); // a stale socket of an engine that died; the queue lock says none runs now
        channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        thread = new Thread(this::serve, "mailwright-control");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        while (channel.isOpen()) {
            try (SocketChannel client = channel.accept()) {
                handle(client);
            } catch (IOException e) {
                if (!channel.isOpen()) return;
            }
        }
    }

    private void handle(SocketChannel client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
        OutputStream out = Channels.newOutputStream(client);
        ObjectNode answer = json.createObjectNode();
        try {
            JsonNode req = json.readTree(in.readLine());
            String cmd = req.path("cmd").asText();
            String id = req.path("id").asText("");
            Object result = switch (cmd) {
                case "queue.list" -> queue.list();
                case "queue.show" -> queue.show(id).orElse(null);
                case "queue.delete" -> queue.delete(id);
                case "queue.retry" -> queue.retry(id.isEmpty() ? Optional.empty() : Optional.of(id));
                case "queue.bounce" -> queue.bounce(id);
                case "queue.adopt" -> queue.adopt(id);
                case "status" -> status.get();
                default -> throw new IllegalArgumentException("unknown control command \"" + cmd + "\"");
            };
            answer.put("ok", true);
            answer.set("result", json.valueToTree(result));
        } catch (RuntimeException | IOException e) {
            answer.put("ok", false);
            answer.put("error", String.valueOf(e.getMessage()));
        }
        out.write(json.writeValueAsBytes(answer));
        out.write('\n');
        out.flush();
    }

    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(path);
    }
}
