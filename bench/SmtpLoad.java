// SMTP load generator for Mailwright's benchmark. JDK only, one file: run it with `java bench/SmtpLoad.java ...`
// (JEP 330). Raw sockets, so what is measured is the server, not a mail library.
//
// It sends N messages of a given size over S concurrent SMTP sessions (each session keeps its connection and
// sends message after message, like smtp-source -d), then prints:
//   - accepted messages per second and the accept latency (p50/p99/max: from writing MAIL to reading the
//     250 after the final dot, i.e. the time the server takes to put a message durably in its queue);
//   - after waiting until every accepted message is a file in a Maildir `new/` (or `cur/`) directory, the
//     end-to-end rate (first MAIL to last message in a mailbox); with --sink-log, until Postfix's smtp-sink
//     (run with -c, its output in FILE) has received them all (the relay benchmark), and the sessions it saw;
//   - the server's memory: peak and idle resident set size, read from /proc/PID/status (VmHWM, VmRSS) for one
//     process, or summed over a process tree (Postfix: master and its children) with --tree.
// --source ADDR binds every session's socket to that local address (the client address the server sees; e.g. one
// not 127.0.0.1, which a server may treat as the machine's own programs). --template FILE sends that message
// (headers and body, LF or CRLF line ends) instead of generated ones, each with an `X-Seq: N` field put on top and
// dot-stuffed; a DKIM signature in it stays valid as long as it does not cover X-Seq. --size is then ignored.
// The last line is machine-readable (`RESULT key=value ...`) for bench/local-delivery.sh.
//
// Usage: java bench/SmtpLoad.java --host 127.0.1.1 --port 2525 --to 'bench%d@bench.test' --users 16
//            --maildirs DIR [--count 10000] [--sessions 16] [--size 2048] [--pipelining] [--pid PID [--tree]]
//            [--idle-wait 10] [--timeout 900] [--label NAME] [--sink-log FILE] [--from ADDR] [--source ADDR]
//            [--template FILE]

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

public final class SmtpLoad {

    record Options(String host, int port, int count, int sessions, int size, String to, int users, String from,
                   Path maildirs, long pid, boolean tree, boolean pipelining, int idleWaitSeconds, int timeoutSeconds,
                   String label, Path sinkLog, String source, byte[] template) {

        static Options parse(String[] args) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) usage("unexpected argument " + a);
                String key = a.substring(2);
                if (key.equals("pipelining") || key.equals("tree")) {
                    m.put(key, "true");
                } else {
                    if (i + 1 >= args.length) usage(a + " needs a value");
                    m.put(key, args[++i]);
                }
            }
            for (String required : List.of("host", "port", "to")) {
                if (!m.containsKey(required)) usage("--" + required + " is required");
            }
            return new Options(m.get("host"), Integer.parseInt(m.get("port")),
                    Integer.parseInt(m.getOrDefault("count", "10000")), Integer.parseInt(m.getOrDefault("sessions", "16")),
                    Integer.parseInt(m.getOrDefault("size", "2048")), m.get("to"), Integer.parseInt(m.getOrDefault("users", "1")),
                    m.getOrDefault("from", "load@client.test"), m.containsKey("maildirs") ? Path.of(m.get("maildirs")) : null,
                    Long.parseLong(m.getOrDefault("pid", "0")), m.containsKey("tree"), m.containsKey("pipelining"),
                    Integer.parseInt(m.getOrDefault("idle-wait", "10")), Integer.parseInt(m.getOrDefault("timeout", "900")),
                    m.getOrDefault("label", "server"), m.containsKey("sink-log") ? Path.of(m.get("sink-log")) : null,
                    m.get("source"), m.containsKey("template") ? template(Path.of(m.get("template"))) : null);
        }

        /** The template as it goes on the wire after DATA: CRLF line ends, dot-stuffed, the final dot. */
        static byte[] template(Path file) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                usage("cannot read the template: " + e);
                return null;
            }
            StringBuilder b = new StringBuilder(text.length() + 100);
            String[] lines = text.replace("\r\n", "\n").split("\n", -1);
            int n = text.endsWith("\n") ? lines.length - 1 : lines.length;
            for (int i = 0; i < n; i++) {
                if (lines[i].startsWith(".")) b.append('.');
                b.append(lines[i]).append("\r\n");
            }
            b.append(".\r\n");
            return b.toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        static void usage(String problem) {
            System.err.println("SmtpLoad: " + problem);
            System.err.println("usage: java bench/SmtpLoad.java --host H --port P --to 'user%d@domain' [--users U] [--maildirs DIR]"
                    + " [--count N] [--sessions S] [--size BYTES] [--pipelining] [--pid PID [--tree]] [--idle-wait S]"
                    + " [--timeout S] [--label NAME] [--from ADDR] [--sink-log FILE] [--source ADDR] [--template FILE]");
            System.exit(2);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Memory memory = o.pid > 0 ? new Memory(o.pid, o.tree) : null;
        long idleBefore = memory == null ? 0 : memory.rssKb();
        double cpuBefore = memory == null ? 0 : memory.cpuSeconds();
        int alreadyDelivered = delivered(o)[0];

        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        long[] latencies = new long[o.count];
        AtomicInteger latencyCount = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());

        Thread sampler = null;
        if (memory != null) {
            sampler = new Thread(() -> {
                while (running.get()) {
                    memory.sample();
                    sleep(100);
                }
            }, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        long start = System.nanoTime();
        List<Thread> sessions = new ArrayList<>();
        for (int s = 0; s < o.sessions; s++) {
            int sessionNo = s;
            Thread t = new Thread(() -> {
                try {
                    new Session(o, sessionNo).run(next, accepted, refused, latencies, latencyCount);
                } catch (IOException | RuntimeException e) {
                    errors.add("session " + sessionNo + ": " + e);
                }
            }, "smtp-session-" + s);
            t.start();
            sessions.add(t);
        }
        for (Thread t : sessions) t.join();
        long acceptedAt = System.nanoTime();

        double acceptSeconds = (acceptedAt - start) / 1e9;
        long[] lat = Arrays.copyOf(latencies, latencyCount.get());
        Arrays.sort(lat);
        System.out.printf(Locale.ROOT, "[%s] accepted %d of %d messages (%d refused) in %.2f s: %.0f msg/s%n",
                o.label, accepted.get(), o.count, refused.get(), acceptSeconds, accepted.get() / acceptSeconds);
        System.out.printf(Locale.ROOT, "[%s] accept latency (MAIL .. 250 after DATA): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                o.label, pct(lat, 50), pct(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
        for (String e : errors.subList(0, Math.min(errors.size(), 5))) System.out.println("[" + o.label + "] error: " + e);

        double endToEndSeconds = Double.NaN;
        int delivered = 0;
        if (o.maildirs != null || o.sinkLog != null) {
            long deadline = System.nanoTime() + o.timeoutSeconds * 1_000_000_000L;
            int target = accepted.get();
            for (;;) {
                delivered = delivered(o)[0] - alreadyDelivered;
                if (delivered >= target) {
                    endToEndSeconds = (System.nanoTime() - start) / 1e9;
                    break;
                }
                if (System.nanoTime() > deadline) break;
                sleep(20);
            }
            if (Double.isNaN(endToEndSeconds)) {
                System.out.printf(Locale.ROOT, "[%s] TIMEOUT: only %d of %d accepted messages delivered after %d s%n",
                        o.label, delivered, target, o.timeoutSeconds);
            } else {
                System.out.printf(Locale.ROOT, "[%s] delivered %d messages %s in %.2f s from the first MAIL: %.0f msg/s end to end%n",
                        o.label, delivered, o.sinkLog != null ? "to the sink" : "into Maildirs", endToEndSeconds, delivered / endToEndSeconds);
                if (o.sinkLog != null) {
                    System.out.printf(Locale.ROOT, "[%s] SMTP sessions ended at the sink so far: %d (a relay may keep more open)%n",
                            o.label, delivered(o)[1]);
                }
            }
        }
        running.set(false);
        if (sampler != null) sampler.join();
        double cpu = memory == null ? Double.NaN : memory.cpuSeconds() - cpuBefore;
        if (memory != null) {
            System.out.printf(Locale.ROOT, "[%s] server CPU time during the run: %.1f s (%.2f ms per message)%n",
                    o.label, cpu, cpu * 1000 / Math.max(1, accepted.get()));
        }

        long peak = 0;
        long idleAfter = 0;
        if (memory != null) {
            memory.sample();
            peak = memory.peakKb();
            sleep(o.idleWaitSeconds * 1000L);
            idleAfter = memory.rssKb();
            System.out.printf(Locale.ROOT, "[%s] RSS: idle before %d MB, peak during the run %d MB, idle %d s after %d MB%s%n",
                    o.label, idleBefore / 1024, peak / 1024, o.idleWaitSeconds, idleAfter / 1024,
                    (o.tree ? " (summed over " + memory.processes() + " processes)" : "") + "; peak PSS " + memory.peakPssKb() / 1024 + " MB");
        }
        System.out.printf(Locale.ROOT, "RESULT label=%s count=%d accepted=%d refused=%d accept_s=%.3f accept_rate=%.1f p50_ms=%.2f p99_ms=%.2f"
                        + " delivered=%d e2e_s=%.3f e2e_rate=%.1f cpu_s=%.2f rss_idle_before_mb=%d rss_peak_mb=%d rss_idle_after_mb=%d pss_peak_mb=%d errors=%d%n",
                o.label, o.count, accepted.get(), refused.get(), acceptSeconds, accepted.get() / acceptSeconds, pct(lat, 50), pct(lat, 99),
                delivered, endToEndSeconds, delivered / endToEndSeconds, cpu, idleBefore / 1024, peak / 1024, idleAfter / 1024,
                memory == null ? 0 : memory.peakPssKb() / 1024, errors.size());
        System.exit(errors.isEmpty() && accepted.get() == o.count && delivered >= accepted.get() ? 0 : 1);
    }

    /** One SMTP session: EHLO once, then MAIL/RCPT/DATA until the shared counter reaches N. */
    static final class Session {
        private final Options o;
        private final int no;
        private InputStream in;
        private OutputStream out;

        Session(Options o, int no) {
            this.o = o;
            this.no = no;
        }

        void run(AtomicInteger next, AtomicInteger accepted, AtomicInteger refused, long[] latencies, AtomicInteger latencyCount)
                throws IOException {
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(120_000);
                if (o.source != null) socket.bind(new InetSocketAddress(o.source, 0));
                socket.connect(new InetSocketAddress(o.host, o.port), 10_000);
                in = new BufferedInputStream(socket.getInputStream(), 8192);
                out = socket.getOutputStream();
                expect(reply(), 220, "greeting");
                send("EHLO load" + no + ".client.test\r\n");
                expect(reply(), 250, "EHLO");
                int n;
                while ((n = next.getAndIncrement()) < o.count) {
                    String rcpt = String.format(Locale.ROOT, o.to, n % o.users);
                    byte[] message = message(n, rcpt);
                    long t0 = System.nanoTime();
                    String mail = "MAIL FROM:<" + o.from + ">\r\n";
                    String rcptTo = "RCPT TO:<" + rcpt + ">\r\n";
                    int mailCode;
                    int rcptCode;
                    int dataCode;
                    if (o.pipelining) {
                        send(mail + rcptTo + "DATA\r\n");
                        mailCode = code(reply());
                        rcptCode = code(reply());
                        dataCode = code(reply());
                    } else {
                        send(mail);
                        mailCode = code(reply());
                        if (mailCode != 250) {
                            refuse(refused, "MAIL " + mailCode);
                            continue;
                        }
                        send(rcptTo);
                        rcptCode = code(reply());
                        if (rcptCode != 250) {
                            refuse(refused, "RCPT " + rcptCode);
                            continue;
                        }
                        send("DATA\r\n");
                        dataCode = code(reply());
                    }
                    if (mailCode != 250 || rcptCode != 250 || dataCode != 354) {
                        if (dataCode == 354) {
                            send(".\r\n");
                            reply();
                        }
                        refuse(refused, "MAIL " + mailCode + " RCPT " + rcptCode + " DATA " + dataCode);
                        continue;
                    }
                    out.write(message);
                    out.flush();
                    String end = reply();
                    long t1 = System.nanoTime();
                    if (code(end) == 250) {
                        accepted.incrementAndGet();
                        latencies[latencyCount.getAndIncrement()] = t1 - t0;
                    } else {
                        refuse(refused, "end of DATA: " + end);
                    }
                }
                send("QUIT\r\n");
                reply();
            }
        }

        private void refuse(AtomicInteger refused, String what) throws IOException {
            refused.incrementAndGet();
            send("RSET\r\n");
            reply();
            throw new IOException("refused: " + what);
        }

        /**
         * A message of exactly {@code o.size} bytes on the wire (headers, body, final dot), CRLF lines; with a
         * template, the template with {@code X-Seq: n} on top.
         */
        private byte[] message(int n, String rcpt) {
            if (o.template != null) {
                byte[] seq = ("X-Seq: " + n + "\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] m = Arrays.copyOf(seq, seq.length + o.template.length);
                System.arraycopy(o.template, 0, m, seq.length, o.template.length);
                return m;
            }
            StringBuilder b = new StringBuilder(o.size + 100);
            b.append("From: Load Generator <").append(o.from).append(">\r\n");
            b.append("To: <").append(rcpt).append(">\r\n");
            b.append("Subject: load test message ").append(n).append("\r\n");
            b.append("Date: Thu, 1 Jan 2026 00:00:00 +0000\r\n");
            b.append("Message-ID: <load.").append(n).append('.').append(no).append("@client.test>\r\n");
            b.append("\r\n");
            String filler = "The quick brown fox jumps over the lazy dog; 0123456789 abcdefghijklmnopqrstuvwxyz";
            int room = o.size - b.length() - 3; // ".\r\n"
            while (room > 2) {
                int len = Math.min(76, room - 2);
                for (int i = 0; i < len; i++) b.append(filler.charAt((i + n) % filler.length()));
                b.append("\r\n");
                room -= len + 2;
            }
            b.append(".\r\n");
            return b.toString().getBytes(StandardCharsets.US_ASCII);
        }

        private void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Reads one (possibly multi-line) reply; returns its last line. */
        private String reply() throws IOException {
            for (;;) {
                String line = line();
                if (line.length() < 4 || line.charAt(3) != '-') return line;
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') break;
                if (c != '\r') b.append((char) c);
            }
            if (c == -1) throw new IOException("connection closed by the server after: " + b);
            return b.toString();
        }

        private static int code(String reply) {
            try {
                return Integer.parseInt(reply.substring(0, 3));
            } catch (RuntimeException e) {
                return -1;
            }
        }

        private static void expect(String reply, int code, String what) throws IOException {
            if (code(reply) != code) throw new IOException(what + ": expected " + code + ", got " + reply);
        }
    }

    /**
     * {messages delivered so far, sessions}: from smtp-sink's {@code -c} counters ("sess=N quit=N mesg=N", the
     * last one in its output) with --sink-log, else the files in the Maildirs.
     */
    static int[] delivered(Options o) throws IOException {
        if (o.sinkLog != null) {
            if (!Files.exists(o.sinkLog)) return new int[] {0, 0};
            String all = new String(Files.readAllBytes(o.sinkLog), StandardCharsets.ISO_8859_1);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("sess=(\\d+) quit=\\d+ mesg=(\\d+)").matcher(all);
            int[] last = {0, 0};
            while (m.find()) last = new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(1))};
            return last;
        }
        return new int[] {o.maildirs == null ? 0 : countDelivered(o.maildirs), 0};
    }

    /** Messages delivered so far: files in every {@code DIR/USER/new} and {@code DIR/USER/cur}. */
    static int countDelivered(Path maildirs) throws IOException {
        int n = 0;
        if (!Files.isDirectory(maildirs)) return 0;
        try (DirectoryStream<Path> boxes = Files.newDirectoryStream(maildirs)) {
            for (Path box : boxes) {
                for (String sub : new String[] {"new", "cur"}) {
                    Path d = box.resolve(sub);
                    if (!Files.isDirectory(d)) continue;
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                        for (Path ignored : files) n++;
                    }
                }
            }
        }
        return n;
    }

    /** Resident memory of a process, or of a process and all its descendants. */
    static final class Memory {
        private final long pid;
        private final boolean tree;
        private final AtomicLong peakKb = new AtomicLong();
        private final AtomicLong peakPssKb = new AtomicLong();
        private volatile int processes = 1;

        Memory(long pid, boolean tree) {
            this.pid = pid;
            this.tree = tree;
        }

        void sample() {
            long rss = rssKb();
            peakKb.accumulateAndGet(rss, Math::max);
            long pss = 0;
            for (long p : pids()) pss += field(Path.of("/proc", Long.toString(p), "smaps_rollup"), "Pss:");
            peakPssKb.accumulateAndGet(pss, Math::max);
        }

        /**
         * CPU seconds (user + system) used so far: of the process, or of the live tree plus the children the
         * root has reaped (Postfix's master reaps its daemons).
         */
        double cpuSeconds() {
            long ticks = 0;
            for (long p : pids()) {
                String[] f = statFields(p);
                if (f.length < 15) continue;
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                if (p == pid) ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]); // cutime, cstime
            }
            return ticks / 100.0; // USER_HZ is 100 on Linux
        }

        /** The fields of /proc/PID/stat after "(comm)": index 0 is the state, 1 the ppid, 11 utime. */
        private static String[] statFields(long p) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p), "stat"));
                return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            } catch (IOException | RuntimeException gone) {
                return new String[0];
            }
        }

        /** VmRSS now (summed over the tree). */
        long rssKb() {
            long sum = 0;
            List<Long> all = pids();
            processes = all.size();
            for (long p : all) sum += field(Path.of("/proc", Long.toString(p), "status"), "VmRSS:");
            return sum;
        }

        /** The peak: the kernel's VmHWM for a single process, the highest sampled sum for a tree. */
        long peakKb() {
            if (!tree) return Math.max(peakKb.get(), field(Path.of("/proc", Long.toString(pid), "status"), "VmHWM:"));
            return peakKb.get();
        }

        long peakPssKb() {
            return peakPssKb.get();
        }

        int processes() {
            return processes;
        }

        private List<Long> pids() {
            if (!tree) return List.of(pid);
            Map<Long, List<Long>> children = new HashMap<>();
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path p : procs) {
                    try {
                        long ppid = Long.parseLong(statFields(Long.parseLong(p.getFileName().toString()))[1]);
                        children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(Long.parseLong(p.getFileName().toString()));
                    } catch (RuntimeException gone) {
                        // the process ended while we looked
                    }
                }
            } catch (IOException e) {
                return List.of(pid);
            }
            List<Long> all = new ArrayList<>();
            List<Long> todo = new ArrayList<>(List.of(pid));
            while (!todo.isEmpty()) {
                long p = todo.remove(todo.size() - 1);
                all.add(p);
                todo.addAll(children.getOrDefault(p, List.of()));
            }
            return all;
        }

        private static long field(Path file, String name) {
            try {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith(name)) return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            } catch (IOException | RuntimeException gone) {
                // the process ended while we looked
            }
            return 0;
        }
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
