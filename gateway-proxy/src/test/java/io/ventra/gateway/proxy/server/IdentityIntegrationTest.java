package io.ventra.gateway.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.proxy.testing.GatewayFixture;
import io.ventra.gateway.proxy.testing.RawHttp;
import io.ventra.gateway.proxy.testing.ScriptedUpstream.Recorded;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** X-Forwarded-For and anonymous per-IP limiting with and without trusted proxies (case C14). */
class IdentityIntegrationTest {
    private GatewayFixture gateway;

    @AfterEach
    void stop() throws IOException {
        gateway.close();
    }

    @Test
    void rotatingForwardedForGainsNothingWithoutTrustedProxies() throws IOException {
        // Case C14, step 3: 100 anonymous requests, each claiming another address, share the peer's bucket.
        gateway = GatewayFixture.builder().edit(GatewayFixture.Builder::anonymous).build();
        int allowed = 0;
        try (RawHttp raw = gateway.raw()) {
            for (int i = 0; i < 100; i++) {
                RawHttp.Response response = raw.send("GET /api/other HTTP/1.1\r\nHost: localhost\r\n"
                        + "X-Forwarded-For: 10.0.0." + i + "\r\n\r\n").read();
                assertThat(response.status()).isIn(200, 429);
                allowed += response.status() == 200 ? 1 : 0;
            }
        }
        assertThat(allowed).isEqualTo(30);
        // Case C14, step 4: the real peer is appended to what the client sent.
        Recorded first = gateway.upstream().requests().get(0);
        assertThat(first.header("X-Forwarded-For")).isEqualTo("10.0.0.0, 127.0.0.1");
    }

    @Test
    void trustedProxyForwardedForNamesTheRightMostUntrustedClient() throws IOException {
        gateway = GatewayFixture.builder().edit(GatewayFixture.Builder::anonymous)
                .proxy("trusted-proxies: [127.0.0.0/8, 192.168.0.0/16]").build();
        try (RawHttp raw = gateway.raw()) {
            for (int i = 0; i < 30; i++) {
                // The left-most entry is whatever the client claimed; 203.0.113.7 is what our proxy saw.
                assertThat(raw.send(anonymousVia("6.6.6." + i + ", 203.0.113.7, 192.168.1.1")).read().status())
                        .isEqualTo(200);
            }
            assertThat(raw.send(anonymousVia("9.9.9.9, 203.0.113.7")).read().status()).isEqualTo(429);
            // A different client behind the same proxies has its own bucket.
            assertThat(raw.send(anonymousVia("203.0.113.8")).read().status()).isEqualTo(200);
        }
        assertThat(gateway.upstream().requests().get(0).header("X-Forwarded-For"))
                .isEqualTo("6.6.6.0, 203.0.113.7, 192.168.1.1, 127.0.0.1");
    }

    @Test
    void multipleForwardedForLinesAreJoinedBeforeThePeerIsAppended() throws IOException {
        gateway = GatewayFixture.start();
        try (RawHttp raw = gateway.raw()) {
            raw.send("GET /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-a\r\nX-Forwarded-For: 1.1.1.1\r\n"
                    + "X-Forwarded-For: 2.2.2.2\r\n\r\n").read();
        }
        assertThat(gateway.upstream().requests().get(0).all("X-Forwarded-For"))
                .containsExactly("1.1.1.1, 2.2.2.2, 127.0.0.1");
    }

    private static String anonymousVia(String forwardedFor) {
        return "GET /api/other HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + forwardedFor + "\r\n\r\n";
    }
}
