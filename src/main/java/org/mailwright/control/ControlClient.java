package org.mailwright.control;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The CLI's side of the control socket: queue control on the running engine. */
public final class ControlClient implements QueueControl {
    private final Path socket;
    private final ObjectMapper json = new ObjectMapper();

    public ControlClient(Path dataDir) {
        this.socket = dataDir.resolve(ControlServer.SOCKET);
    }

    /** True when an engine answers on the data directory's control socket. */
    public boolean engineRunning() {
        if (!Files.exists(socket)) return false;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    JsonNode call(String cmd, String id) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            byte[] req = json.writeValueAsBytes(Map.of("cmd", cmd, "id", id == null ? "" : id));
            var out = Channels.newOutputStream(ch);
            out.write(req);
            out.write('\n');
            out.flush();
            String line = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8)).readLine();
            if (line == null) throw new IOException("the engine closed the control socket without answering");
            JsonNode answer = json.readTree(line);
            if (!answer.path("ok").asBoolean()) throw new IOException(answer.path("error").asText("the engine refused the request"));
            return answer.get("result");
        }
    }

    @Override
    public List<EnvelopeInfo> list() throws IOException {
        return json.convertValue(call("queue.list", ""), new TypeReference<List<EnvelopeInfo>>() {});
    }

    @Override
    public Optional<Shown> show(String id) throws IOException {
        JsonNode r = call("queue.show", id);
        return r == null || r.isNull() ? Optional.empty() : Optional.of(json.convertValue(r, Shown.class));
    }

    @Override
    public int delete(String id) throws IOException {
        return call("queue.delete", id).asInt();
    }

    @Override
    public int retry(Optional<String> id) throws IOException {
        return call("queue.retry", id.orElse("")).asInt();
    }

    @Override
    public int bounce(String id) throws IOException {
        return call("queue.bounce", id).asInt();
    }

    @Override
    public int adopt(String messageId) throws IOException {
        return call("queue.adopt", messageId).asInt();
    }

    public JsonNode status() throws IOException {
        return call("status", "");
    }
}
