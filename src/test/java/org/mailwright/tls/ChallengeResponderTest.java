package org.mailwright.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwright.testing.TestData;

/** The HTTP-01 responder answers the token and nothing else (RFC 8555 §8.3). */
class ChallengeResponderTest {
    static final String ADDRESS = "127.0.4.6";
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + ADDRESS + ":" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesOnlyTheChallengeTokens() throws Exception {
        int port = TestData.freePort();
        try (ChallengeResponder r = ChallengeResponder.start(List.of(ADDRESS), port)) {
            r.answer("tok-123", "tok-123.thumbprint");
            HttpResponse<String> ok = get(port, "/.well-known/acme-challenge/tok-123");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("tok-123.thumbprint");
            assertThat(get(port, "/.well-known/acme-challenge/other").statusCode()).isEqualTo(404);
            assertThat(get(port, "/").statusCode()).isEqualTo(404);
            assertThat(get(port, "/etc/passwd").statusCode()).isEqualTo(404);
            assertThat(get(port, "/.well-known/acme-challenge/../../tok-123").statusCode()).isEqualTo(404);
            assertThat(r.served()).isEqualTo(1);
            r.forget("tok-123");
            assertThat(get(port, "/.well-known/acme-challenge/tok-123").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aTakenPortIsExplained() throws Exception {
        int port = TestData.freePort();
        try (ChallengeResponder first = ChallengeResponder.start(List.of(ADDRESS), port)) {
            assertThatThrownBy(() -> ChallengeResponder.start(List.of(ADDRESS), port))
                    .hasMessageContaining("port " + port + " on " + ADDRESS + " is already in use by another program");
        }
    }

    @Test
    void aWildcardListenerIsBoundOnce() {
        assertThat(ChallengeResponder.bindAddresses(List.of("0.0.0.0", "127.0.0.1", "0.0.0.0"))).containsExactly("0.0.0.0");
        assertThat(ChallengeResponder.bindAddresses(List.of("::", "0.0.0.0"))).containsExactly("::");
        assertThat(ChallengeResponder.bindAddresses(List.of("192.0.2.7", "2001:db8::7"))).containsExactly("192.0.2.7", "2001:db8::7");
    }
}
