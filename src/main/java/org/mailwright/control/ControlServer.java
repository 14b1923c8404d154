package org.mailwright.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.mailwright.log.Stderr;

/**
 * The engine's two local sockets; one JSON request line per connection, one JSON answer line.
 * <ul>
 * <li>{@code DATA/control.sock}, mode 0600 like smtpd's control socket: queue and status for the data directory's
 *     owner (the CLI's {@code queue} commands, the GUI), so that nothing touches spool files behind the engine's back.
 * <li>{@code DATA/submit.sock}, mode 0666: local submission ({@code sendmail}, {@code mail bob}, cron) for every
 *     Unix user of the host. The only command it takes is {@code submit}; who submits is what the kernel says
 *     ({@code SO_PEERCRED}), never what the client says.
 * </ul>
 * How other users reach {@code submit.sock} although everything else in DATA is private: the data directory is
 * made 0711 — enter, but not list — and every entry directly inside it loses its group and other permissions
 * (checked at start and before each submission), so the socket is the only thing a stranger can open there;
 * nothing becomes readable that was not before. A second socket rather than one shared 0666 socket: the queue
 * commands stay closed by file permissions, not only by a check in code.
 * <p>
 * Clients are served concurrently (up to {@value #MAX_CLIENTS} at once per socket, each socket with its own
 * threads; more get a "busy" answer), each with a timeout on every read and write, so a client that connects and
 * says nothing cannot hold anyone else up, and local users cannot crowd the queue commands out.
 */
public final class ControlServer implements AutoCloseable {
    public static final String SOCKET = "control.sock";
    public static final String SUBMIT_SOCKET = "submit.sock";
    static final int MAX_CLIENTS = 32;
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** Waiting for a request line (and for any read or write on control.sock). */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Between two reads of a message being submitted: as SMTP's data block timeout (RFC 5321 §4.5.3.2: 3 min). */
    public static final Duration DATA_TIMEOUT = Duration.ofMinutes(3);

    /** Takes a submission for a user the kernel named; the engine's is {@link LocalSubmission} plus the scheduler. */
    public interface Submitter {
        LocalSubmission submission();

        /** Root, the engine's own user and {@code [submission] send_as_anyone} choose their sender with -f. */
        boolean mayChooseSender(String user);

        /** The message is committed: deliver it. */
        void queued(LocalSubmission.Queued q, String user);
    }

    private final Path dataDir;
    private final Path path;
    private final Path submitPath;
    private final QueueControl queue;
    private final Supplier<Object> status;
    private final Submitter submitter;
    /** {@code config.reload}; set by the engine once it is wired (until then the command is refused). */
    private volatile Reloader reloader;
    private final Duration requestTimeout;
    private final Duration dataTimeout;
    private final ObjectMapper json = new ObjectMapper();
    private final ServerSocketChannel channel;
    private final ServerSocketChannel submitChannel;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor submitWorkers;

    /** Re-reads mailwright.conf and applies what it can live; the answer says what needs a restart. */
    public interface Reloader {
        Object reload() throws Exception;
    }

    public void reloader(Reloader r) {
        reloader = r;
    }

    public ControlServer(Path dataDir, QueueControl queue, Supplier<Object> status) throws IOException {
        this(dataDir, queue, status, null, REQUEST_TIMEOUT, DATA_TIMEOUT);
    }

    /** {@code submitter} null: no submission socket. */
    public ControlServer(Path dataDir, QueueControl queue, Supplier<Object> status, Submitter submitter) throws IOException {
        this(dataDir, queue, status, submitter, REQUEST_TIMEOUT, DATA_TIMEOUT);
    }

    ControlServer(Path dataDir, QueueControl queue, Supplier<Object> status, Submitter submitter,
                  Duration requestTimeout, Duration dataTimeout) throws IOException {
        this.dataDir = dataDir;
        this.path = dataDir.resolve(SOCKET);
        this.submitPath = dataDir.resolve(SUBMIT_SOCKET);
        this.queue = queue;
        this.status = status;
        this.submitter = submitter;
        this.requestTimeout = requestTimeout;
        this.dataTimeout = dataTimeout;
        // One pool per socket: local users filling the submission socket's slots cannot keep root from the queue.
        workers = pool("mailwright-control-");
        submitWorkers = pool("mailwright-submit-");
        channel = bind(path, "rw-------");
        if (submitter != null) {
            try {
                openToLocalUsers();
            } catch (IOException e) {
                // Not ours to change (a data directory owned by another user): local users cannot reach the socket,
                // and the owner's own sendmail still works. The engine runs on.
                Stderr.warn("other local users cannot reach " + submitPath + ": " + e.getMessage());
            }
            submitChannel = bind(submitPath, "rw-rw-rw-");
        } else {
            submitChannel = null;
        }
        start(channel, false);
        if (submitChannel != null) start(submitChannel, true);
    }

    private static ThreadPoolExecutor pool(String name) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, MAX_CLIENTS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static ServerSocketChannel bind(Path p, String mode) throws IOException {
        Files.deleteIfExists(p); // a stale socket of an engine that died; the queue lock says none runs now
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(p));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return ch;
    }

    /**
     * DATA 0711, and no group/other permission on anything directly inside it except the submission socket
     * (see the class comment). Only ever removes permissions inside; on DATA itself adds only search (x).
     */
    void openToLocalUsers() throws IOException {
        Set<PosixFilePermission> closed = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
            for (Path e : entries) {
                if (e.getFileName().toString().equals(SUBMIT_SOCKET) || Files.isSymbolicLink(e)) continue;
                try {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(e, LinkOption.NOFOLLOW_LINKS);
                    if (perms.removeAll(closed)) Files.setPosixFilePermissions(e, perms);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // removed meanwhile
                }
            }
        }
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    private void start(ServerSocketChannel server, boolean submit) {
        Thread t = new Thread(() -> accept(server, submit), submit ? "mailwright-submit" : "mailwright-control");
        t.setDaemon(true);
        t.start();
    }

    private void accept(ServerSocketChannel server, boolean submit) {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!server.isOpen()) return;
                continue;
            }
            try {
                (submit ? submitWorkers : workers).execute(() -> serve(client, submit));
            } catch (RejectedExecutionException busy) {
                try (client; Timed t = new Timed(client, Duration.ofSeconds(1))) {
                    t.out().write(error("the engine is serving " + MAX_CLIENTS + " local clients already; try again in a moment", true));
                } catch (IOException ignored) {
                    // the client went away
                }
            }
        }
    }

    private void serve(SocketChannel client, boolean submit) {
        try (client; Timed t = new Timed(client, requestTimeout)) {
            if (submit) {
                submit(client, t);
            } else {
                control(t);
            }
        } catch (IOException | RuntimeException e) {
            // a client that timed out or went away; nothing was queued for it
        }
    }

    private JsonNode request(Timed t) throws IOException {
        byte[] line = t.readLine(MAX_REQUEST_BYTES);
        if (line == null) throw new EOFException("no request");
        return json.readTree(line);
    }

    private void control(Timed t) throws IOException {
        ObjectNode answer = json.createObjectNode();
        try {
            JsonNode req = request(t);
            String cmd = req.path("cmd").asText();
            String id = req.path("id").asText("");
            Object result = switch (cmd) {
                case "queue.list" -> queue.list();
                case "queue.show" -> queue.show(id).orElse(null);
                case "queue.message" -> queue.message(id).orElse(null);
                case "queue.delete" -> queue.delete(id);
                case "queue.retry" -> queue.retry(id.isEmpty() ? Optional.empty() : Optional.of(id));
                case "queue.bounce" -> queue.bounce(id);
                case "queue.adopt" -> queue.adopt(id);
                case "status" -> status.get();
                case "config.reload" -> reload();
                default -> throw new IllegalArgumentException("unknown control command \"" + cmd + "\"");
            };
            answer.put("ok", true);
            answer.set("result", json.valueToTree(result));
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            answer.put("ok", false);
            answer.put("error", String.valueOf(e.getMessage()));
        }
        t.out().write(line(answer));
    }

    private Object reload() {
        Reloader r = reloader;
        if (r == null) throw new IllegalStateException("this engine cannot reload its configuration — restart it");
        try {
            return r.reload();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage().replace("\n", "; "), e);
        }
    }

    /**
     * {@code submit}: request line {@code {"cmd":"submit","from":…,"rcpt":[…],"t":…,"full_name":…}}; the engine
     * answers {@code {"ok":true,"max_message_size":N,"sender":…}} (or an error); then the message follows in
     * chunks (a 4-byte big-endian length, the bytes; length 0 ends it — a connection that closes before it
     * queues nothing); last the answer {@code {"ok":true,"id":…}} or {@code {"ok":false,"error":…,"temporary":…}}.
     */
    private void submit(SocketChannel client, Timed t) throws IOException {
        UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String user = peer.user().getName();
        OutputStream out = t.out();
        LocalSubmission.Prepared prepared;
        try {
            JsonNode req = request(t);
            if (!req.path("cmd").asText().equals("submit")) {
                out.write(error("this socket takes only \"submit\"; queue commands go to " + SOCKET, false));
                return;
            }
            List<String> rcpts = new ArrayList<>();
            req.path("rcpt").forEach(r -> rcpts.add(r.asText()));
            LocalSubmission.Request r = new LocalSubmission.Request(text(req, "from"), rcpts, req.path("t").asBoolean(),
                    text(req, "full_name"));
            try {
                openToLocalUsers(); // anything made in DATA since the last look is closed before a stranger is served
            } catch (IOException e) {
                // not ours to change (said at start); what is open then was not opened by this socket
            }
            prepared = submitter.submission().prepare(user, submitter.mayChooseSender(user), r);
        } catch (LocalSubmission.Refused e) {
            out.write(error(e.getMessage(), e.temporary()));
            return;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            out.write(error("bad submission request: " + e.getMessage(), false));
            return;
        }
        ObjectNode ready = json.createObjectNode();
        ready.put("ok", true);
        ready.put("max_message_size", submitter.submission().maxMessageSize());
        ready.put("sender", prepared.sender());
        out.write(line(ready));

        t.timeout(dataTimeout);
        Chunks body = new Chunks(new BufferedInputStream(t.in(), 65536));
        LocalSubmission.Queued q;
        try {
            q = submitter.submission().receive(prepared, body);
            if (!body.ended) throw new EOFException("the client went away before the end of the message");
        } catch (LocalSubmission.Refused e) {
            out.write(error(e.getMessage(), e.temporary()));
            return;
        } catch (EOFException | SocketTimeoutException e) {
            return; // nothing queued: the client is gone (or idle too long) and gets no answer
        } catch (IOException e) {
            out.write(error("cannot queue the message now (" + e.getMessage() + "); try again later", true));
            return;
        }
        submitter.queued(q, user);
        ObjectNode ok = json.createObjectNode();
        ok.put("ok", true);
        ok.put("id", q.id());
        ok.put("sender", q.sender());
        t.timeout(requestTimeout);
        out.write(line(ok));
    }

    private static String text(JsonNode req, String field) {
        JsonNode n = req.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private byte[] error(String message, boolean temporary) throws IOException {
        ObjectNode a = json.createObjectNode();
        a.put("ok", false);
        a.put("error", message);
        a.put("temporary", temporary);
        return line(a);
    }

    private byte[] line(JsonNode node) throws IOException {
        byte[] b = json.writeValueAsBytes(node);
        byte[] l = java.util.Arrays.copyOf(b, b.length + 1);
        l[b.length] = '\n';
        return l;
    }

    /** The message in chunks; end of stream at the 0-length chunk, EOFException when the connection ends first. */
    static final class Chunks extends InputStream {
        private final DataInputStream in;
        private int left;
        boolean ended;

        Chunks(InputStream in) {
            this.in = new DataInputStream(in);
        }

        private boolean fill() throws IOException {
            while (left == 0) {
                if (ended) return false;
                int n = in.readInt();
                if (n < 0) throw new IOException("bad chunk length " + n);
                if (n == 0) {
                    ended = true;
                    return false;
                }
                left = n;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) return -1;
            int c = in.read();
            if (c < 0) throw new EOFException("the connection ended inside a chunk");
            left--;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!fill()) return -1;
            int n = in.read(b, off, Math.min(len, left));
            if (n < 0) throw new EOFException("the connection ended inside a chunk");
            left -= n;
            return n;
        }
    }

    /** A non-blocking channel read and written with a timeout on every wait. */
    static final class Timed implements AutoCloseable {
        private final SocketChannel ch;
        private final Selector selector;
        private final SelectionKey key;
        private volatile long timeoutMillis;

        Timed(SocketChannel ch, Duration timeout) throws IOException {
            this.ch = ch;
            ch.configureBlocking(false);
            this.selector = Selector.open();
            this.key = ch.register(selector, 0);
            this.timeoutMillis = Math.max(1, timeout.toMillis());
        }

        @Override
        public void close() throws IOException {
            selector.close();
        }

        void timeout(Duration d) {
            timeoutMillis = Math.max(1, d.toMillis());
        }

        private void await(int op) throws IOException {
            key.interestOps(op);
            selector.selectedKeys().clear();
            if (selector.select(timeoutMillis) == 0) {
                throw new SocketTimeoutException("no " + (op == SelectionKey.OP_READ ? "data" : "progress") + " for "
                        + timeoutMillis + " ms; the client was dropped");
            }
        }

        int read(ByteBuffer b) throws IOException {
            for (;;) {
                int n = ch.read(b);
                if (n != 0) return n;
                await(SelectionKey.OP_READ);
            }
        }

        /** A line without its LF; null at end of stream before any byte. Reads byte by byte: nothing past the LF. */
        byte[] readLine(int max) throws IOException {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            ByteBuffer one = ByteBuffer.allocate(1);
            for (;;) {
                one.clear();
                if (read(one) < 0) {
                    if (line.size() == 0) return null;
                    throw new EOFException("the request line has no end");
                }
                byte c = one.get(0);
                if (c == '\n') return line.toByteArray();
                if (line.size() >= max) throw new IOException("request line longer than " + max + " bytes");
                line.write(c);
            }
        }

        InputStream in() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] b = new byte[1];
                    int n = read(b, 0, 1);
                    return n < 0 ? -1 : b[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) return 0;
                    return Timed.this.read(ByteBuffer.wrap(b, off, len));
                }
            };
        }

        OutputStream out() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                    while (buf.hasRemaining()) {
                        if (ch.write(buf) == 0) await(SelectionKey.OP_WRITE);
                    }
                }
            };
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(path);
        if (submitChannel != null) {
            submitChannel.close();
            Files.deleteIfExists(submitPath);
        }
        workers.shutdownNow();
        submitWorkers.shutdownNow();
    }
}
