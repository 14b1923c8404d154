package org.mailwright.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.ServerFailedException;

/** Every DNS failure names its cause and the resolver in words; none reads "failed: null". */
class DnsFailureTest {
    static Stream<Arguments> causes() throws Exception {
        return Stream.of(
                Arguments.of(new SocketTimeoutException("Query timed out"), "no answer from 127.0.0.1:53 within 5 s"),
                Arguments.of(new TimeoutException(), "no answer from 127.0.0.1:53 within 5 s"),
                Arguments.of(new IOException("Timed out while trying to resolve"), "no answer from 127.0.0.1:53 within 5 s"),
                Arguments.of(new PortUnreachableException(), "127.0.0.1:53 refused the query (nothing listens there)"),
                Arguments.of(new ConnectException("Connection refused"), "127.0.0.1:53 refused the query (nothing listens there)"),
                Arguments.of(new ServerFailedException(Name.fromString("example.invalid."), Type.MX), "127.0.0.1:53 answered SERVFAIL"),
                Arguments.of(new IllegalStateException(), "illegal state (asked 127.0.0.1:53)"),
                Arguments.of(new IOException("Network is unreachable"), "Network is unreachable (asked 127.0.0.1:53)"),
                Arguments.of(null, "no reason given (asked 127.0.0.1:53)"));
    }

    @ParameterizedTest
    @MethodSource("causes")
    void theCauseInWords(Throwable cause, String words) {
        assertThat(DnsFailure.words(cause, "127.0.0.1:53", Duration.ofSeconds(5))).isEqualTo(words).doesNotContain("null");
    }

    @org.junit.jupiter.api.Test
    void timeoutsInSeconds() {
        assertThat(DnsFailure.noAnswer("the system resolver 10.0.0.2:53", Duration.ofMillis(1500)))
                .isEqualTo("no answer from the system resolver 10.0.0.2:53 within 1.5 s");
    }

    @org.junit.jupiter.api.Test
    void resolverAddressesAreWrittenAsInTheConfiguration() throws Exception {
        assertThat(DnsFailure.name(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 53))).isEqualTo("127.0.0.1:53");
        assertThat(DnsFailure.name(new InetSocketAddress(InetAddress.getByName("::1"), 53))).isEqualTo("[0:0:0:0:0:0:0:1]:53");
    }
}
