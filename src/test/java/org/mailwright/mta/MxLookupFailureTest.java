package org.mailwright.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailwright.queue.DeliveryException;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/** What a queued message's last error says when its MX lookup fails: the resolver and the cause, in words. */
class MxLookupFailureTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private static String failure(String resolver) throws Exception {
        MxLookup mx = new MxLookup(Optional.of(resolver), TIMEOUT);
        return catchThrowableOfType(DeliveryException.class, () -> mx.mailExchangers("example.invalid")).getMessage();
    }

    @Test
    void nothingListeningIsARefusedQuery() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: an ICMP port unreachable answers the query
        }
        assertThat(failure("127.0.0.1:" + port)).isEqualTo("451 4.4.3 DNS lookup of MX example.invalid failed: 127.0.0.1:" + port
                + " refused the query (nothing listens there)");
    }

    @Test
    void aSilentResolverIsNoAnswerWithinTheTimeout() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertThat(failure("127.0.0.1:" + silent.getLocalPort())).isEqualTo("451 4.4.3 DNS lookup of MX example.invalid failed: "
                    + "no answer from 127.0.0.1:" + silent.getLocalPort() + " within 0.5 s");
        }
    }

    @Test
    void servfailIsNamed() throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> answerServfail(server), "servfail");
            answering.setDaemon(true);
            answering.start();
            assertThat(failure("127.0.0.1:" + server.getLocalPort()))
                    .isEqualTo("451 4.4.3 DNS lookup of MX example.invalid failed: 127.0.0.1:" + server.getLocalPort() + " answered SERVFAIL");
        }
    }

    private static void answerServfail(DatagramSocket server) {
        try {
            while (true) {
                byte[] b = new byte[512];
                DatagramPacket p = new DatagramPacket(b, b.length);
                server.receive(p);
                Message q = new Message(Arrays.copyOf(b, p.getLength()));
                Message a = new Message(q.getHeader().getID());
                a.getHeader().setFlag(Flags.QR);
                a.getHeader().setRcode(Rcode.SERVFAIL);
                a.addRecord(q.getQuestion(), Section.QUESTION);
                byte[] out = a.toWire();
                server.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            }
        } catch (java.io.IOException e) {
            // the socket closed: the test is over
        }
    }
}
