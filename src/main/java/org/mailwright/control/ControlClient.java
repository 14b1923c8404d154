package org.mailwright.control;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
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

/** The CLI's side of the engine's sockets: queue control (control.sock) and local submission (submit.sock). */
public final class ControlClient implements QueueControl {
    private final Path socket;
    private final Path submitSocket;
    private final ObjectMapper json = new ObjectMapper();

    public ControlClient(Path dataDir) {
        this.socket = dataDir.resolve(ControlServer.SOCKET);
        this.submitSocket = dataDir.resolve(ControlServer.SUBMIT_SOCKET);
    }

    /** The engine refused a submission: one line for the user; {@code temporary}: try again later (exit 75). */
    public static final class Refused extends IOException {
        private final boolean temporary;

        Refused(String message, boolean temporary) {
            super(message);
            this.temporary = temporary;
        }

        public boolean temporary() {
            return temporary;
        }
    }

    /**
     * Starts a local submission on {@code DATA/submit.sock} (any local user may; the engine knows who from the
     * socket's peer credentials). Empty when no engine answers there. Throws {@link Refused} when the engine
     * refuses the request before the message (a bad address, an unknown local user…).
     */
    public Optional<Submission> submit(LocalSubmission.Request r) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(submitSocket));
        } catch (IOException notRunning) {
            ch.close();
            return Optional.empty();
        }
        try {
            var req = json.createObjectNode();
            req.put("cmd", "submit");
            if (r.from() != null) req.put("from", r.from());
            var rcpt = req.putArray("rcpt");
            r.recipients().forEach(rcpt::add);
            req.put("t", r.fromHeaders());
            if (r.fullName() != null) req.put("full_name", r.fullName());
            OutputStream out = Channels.newOutputStream(ch);
            out.write(json.writeValueAsBytes(req));
            out.write('\n');
            out.flush();
            JsonNode ready = answer(Channels.newInputStream(ch));
            return Optional.of(new Submission(ch, ready.path("max_message_size").asLong(Long.MAX_VALUE), ready.path("sender").asText()));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** One answer line, read byte by byte (nothing after it is consumed); a refusal becomes {@link Refused}. */
    private JsonNode answer(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (line.size() > ControlServer.MAX_REQUEST_BYTES) throw new IOException("the engine's answer is too long");
            line.write(c);
        }
        if (c == -1) throw new IOException("the engine closed the submission socket without answering");
        JsonNode a = json.readTree(line.toByteArray());
        if (!a.path("ok").asBoolean()) {
            throw new Refused(a.path("error").asText("the engine refused the message"), a.path("temporary").asBoolean());
        }
        return a;
    }

    /** A submission the engine accepted to read: write the message to {@link #body()}, then {@link #finish()}. */
    public final class Submission implements AutoCloseable {
        private final SocketChannel ch;
        private final long maxMessageSize;
        private final String sender;
        private final DataOutputStream chunks;
        private final OutputStream body;

        Submission(SocketChannel ch, long maxMessageSize, String sender) {
            this.ch = ch;
            this.maxMessageSize = maxMessageSize;
            this.sender = sender;
            this.chunks = new DataOutputStream(Channels.newOutputStream(ch));
            this.body = new BufferedOutputStream(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (len == 0) return;
                    chunks.writeInt(len);
                    chunks.write(b, off, len);
                }
            }, 65536);
        }

        /** The engine's limit: a client stops reading its input once it is passed. */
        public long maxMessageSize() {
            return maxMessageSize;
        }

        /** The envelope sender the engine will use. */
        public String sender() {
            return sender;
        }

        public OutputStream body() {
            return body;
        }

        /** Ends the message; returns the queue id once the engine has committed it. */
        public String finish() throws IOException {
            try {
                body.flush();
                chunks.writeInt(0);
                chunks.flush();
            } catch (IOException e) {
                throw refusalOr(e);
            }
            return answer(Channels.newInputStream(ch)).path("id").asText();
        }

        /** What the engine said when it stopped reading (its answer), else {@code e}. */
        public IOException refusalOr(IOException e) {
            try {
                answer(Channels.newInputStream(ch));
            } catch (Refused r) {
                return r;
            } catch (IOException ignored) {
                // no answer to read: the write error is all there is
            }
            return new IOException("the engine stopped reading the message (" + e.getMessage() + ")", e);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
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
    public Optional<Message> message(String id) throws IOException {
        JsonNode r = call("queue.message", id);
        return r == null || r.isNull() ? Optional.empty() : Optional.of(json.convertValue(r, Message.class));
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

    /** Makes the engine re-read mailwright.conf: {@code {"changed": [keys], "restart": [keys it cannot apply live]}}. */
    public JsonNode reloadConfig() throws IOException {
        return call("config.reload", "");
    }
}
