package org.mailwright.mta;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mailwright.testing.PeerProcess;
import org.mailwright.testing.Peers;
import org.mailwright.tls.SelfSigned;

/**
 * A private Postfix instance (Debian's postfix) as a remote MX on a loopback address: its own config, queue
 * and data directories, a listener named in master.cf, virtual mailboxes (Maildir) for the users it accepts
 * and {@code 550 5.1.1} for everyone else in its domains, STARTTLS with a self-signed certificate.
 */
public final class PostfixPeer implements AutoCloseable {
    /** The services of a private instance, as the benchmarks' Postfix has them (bench/postfix-instance.sh). */
    private static final Path MASTER_CF = Path.of("bench", "postfix", "master.cf");

    public final String address;
    public final int port;
    final Path dir;
    private final Path conf;
    private final String postfix;

    /** {@code mailboxes}: address → mailbox directory name under {@code mail/}. */
    public PostfixPeer(Path dir, String address, int port, String myhostname, List<String> domains, Map<String, String> mailboxes)
            throws IOException, InterruptedException {
        this(dir, address, port, myhostname, domains, mailboxes, List.of());
    }

    /** {@code extraMainCf}: more main.cf lines (a later line overrides an earlier one). */
    public PostfixPeer(Path dir, String address, int port, String myhostname, List<String> domains, Map<String, String> mailboxes,
                List<String> extraMainCf) throws IOException, InterruptedException {
        this.postfix = Peers.require("postfix", "postfix");
        this.address = address;
        this.port = port;
        this.dir = dir;
        this.conf = dir.resolve("conf");
        for (String d : List.of("conf", "spool", "data", "mail")) Files.createDirectories(dir.resolve(d));
        SelfSigned.create(List.of(myhostname), Duration.ofDays(2), conf.resolve("cert.pem"), conf.resolve("key.pem"));
        String uid = id("-u", "postfix");
        String gid = id("-g", "postfix");
        Files.writeString(conf.resolve("main.cf"), String.join("\n",
                "compatibility_level = 3.6",
                "queue_directory = " + dir.resolve("spool"),
                "data_directory = " + dir.resolve("data"),
                "command_directory = /usr/sbin",
                "daemon_directory = /usr/lib/postfix/sbin",
                "meta_directory = /etc/postfix",
                "shlib_directory = /usr/lib/postfix",
                "mail_owner = postfix",
                "setgid_group = postdrop",
                "myhostname = " + myhostname,
                "mydestination =",
                "inet_interfaces = loopback-only",
                "inet_protocols = ipv4",
                "mynetworks =",
                "local_header_rewrite_clients =",
                "virtual_mailbox_domains = " + String.join(" ", domains),
                "virtual_mailbox_base = " + dir.resolve("mail"),
                "virtual_mailbox_maps = texthash:" + conf.resolve("vmailbox"),
                "virtual_uid_maps = static:" + uid,
                "virtual_gid_maps = static:" + gid,
                "smtpd_tls_cert_file = " + conf.resolve("cert.pem"),
                "smtpd_tls_key_file = " + conf.resolve("key.pem"),
                "smtpd_tls_security_level = may",
                "smtpd_tls_received_header = yes",
                "smtpd_relay_restrictions = reject_unauth_destination",
                "maillog_file_prefixes = " + dir,
                "maillog_file = " + dir.resolve("maillog"),
                String.join("\n", extraMainCf),
                ""));
        StringBuilder vmailbox = new StringBuilder();
        mailboxes.forEach((a, box) -> vmailbox.append(a).append(' ').append(box).append("/\n"));
        Files.writeString(conf.resolve("vmailbox"), vmailbox.toString());
        Files.writeString(conf.resolve("master.cf"), address + ":" + port + " inet n - n - - smtpd\n" + Files.readString(MASTER_CF));
        Peers.run(List.of("chown", "postfix", dir.resolve("data").toString(), dir.resolve("mail").toString()), null, 10);
    }

    private static String id(String flag, String user) throws IOException, InterruptedException {
        return Peers.run(List.of("id", flag, user), null, 10).out().trim();
    }

    /** Adds a master.cf service line (another listener, with -o overrides); call before {@link #start()}. */
    public PostfixPeer service(String masterCfLine) throws IOException {
        Files.writeString(conf.resolve("master.cf"), masterCfLine + "\n", java.nio.file.StandardOpenOption.APPEND);
        return this;
    }

    public void start() throws IOException, InterruptedException {
        Peers.Result r = Peers.run(List.of(postfix, "-c", conf.toString(), "start"), null, 60);
        if (r.exit() != 0) throw new AssertionError("postfix start failed: " + r.out() + log());
        // postfix start returns once master runs in the background: ready when the listener accepts.
        PeerProcess.await("postfix on " + address + ":" + port, Duration.ofSeconds(20), PeerProcess.Ready.accepts(address, port),
                this::log, () -> true); // master is not our child: a postfix that died shows in its maillog when the wait ends
    }

    public void stop() throws IOException, InterruptedException {
        Peers.run(List.of(postfix, "-c", conf.toString(), "stop"), null, 60);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 200);
                Thread.sleep(100);
            } catch (IOException down) {
                return;
            }
        }
        throw new AssertionError("postfix still listens on " + address + ":" + port);
    }

    /** Messages delivered to a mailbox (Maildir new/). */
    public List<Path> delivered(String mailbox) throws IOException {
        Path d = dir.resolve("mail").resolve(mailbox).resolve("new");
        if (!Files.isDirectory(d)) return List.of();
        try (var s = Files.list(d)) {
            return new ArrayList<>(s.sorted().toList());
        }
    }

    /** Runs a Postfix command (postqueue, postconf…) against this instance's configuration. */
    public Peers.Result command(String program, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(program, "-c", conf.toString()));
        cmd.addAll(List.of(args));
        return Peers.run(cmd, null, 120);
    }

    public String log() throws IOException {
        Path f = dir.resolve("maillog");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Peers.run(List.of(postfix, "-c", conf.toString(), "stop"), null, 60);
    }
}
