package io.ventra.gateway.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.core.config.ConfigLoader;
import io.ventra.gateway.proxy.testing.GatewayFixture;
import io.ventra.gateway.proxy.testing.RawHttp;
import io.ventra.gateway.proxy.testing.ScriptedUpstream.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Case C02: every response carries each security header exactly once, the gateway's own included. */
class SecurityHeadersIntegrationTest {
    private GatewayFixture gateway;

    @BeforeEach
    void start() {
        gateway = GatewayFixture.start();
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
    }

    @Test
    void upstreamValueWinsAndNoHeaderIsDuplicated() throws IOException {
        gateway.upstream().script(r -> Reply.raw("HTTP/1.1 200 OK\r\nX-Frame-Options: SAMEORIGIN\r\n"
                + "X-Content-Type-Options: nosniff\r\nContent-Length: 2\r\n\r\nok"));

        RawHttp.Response response = get("GET /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-a\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.all("X-Frame-Options")).containsExactly("SAMEORIGIN");
        assertThat(response.all("X-Content-Type-Options")).containsExactly("nosniff");
        assertEachSecurityHeaderOnce(response);
    }

    @Test
    void gatewayResponsesCarryTheFullSet() throws IOException {
        List<RawHttp.Response> responses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            gateway.get("free-a", "/api/other");
        }
        responses.add(get("GET /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: free-a\r\n\r\n"));
        responses.add(get("GET /no-such-route HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-a\r\n\r\n"));
        responses.add(get("GET /api/other HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        responses.add(get("POST /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-a\r\n"
                + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"));
        // The upstream drops the connection without answering: a 502 that does not depend on a freed port.
        gateway.upstream().script(r -> Reply.close());
        responses.add(get("GET /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-a\r\n\r\n"));

        assertThat(responses).extracting(RawHttp.Response::status).containsExactly(429, 404, 401, 400, 502);
        for (RawHttp.Response response : responses) {
            assertEachSecurityHeaderOnce(response);
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(response.bodyText()).doesNotContain("Exception").doesNotContain("<");
        }
    }

    private RawHttp.Response get(String request) throws IOException {
        try (RawHttp raw = gateway.raw()) {
            return raw.send(request).read();
        }
    }

    private static void assertEachSecurityHeaderOnce(RawHttp.Response response) {
        for (Map.Entry<String, String> header : ConfigLoader.DEFAULT_SECURITY_HEADERS.entrySet()) {
            assertThat(response.all(header.getKey())).as(header.getKey() + " on " + response.statusLine())
                    .hasSize(1);
        }
    }
}
