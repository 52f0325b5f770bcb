package io.ventra.gateway.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.proxy.testing.GatewayFixture;
import io.ventra.gateway.proxy.testing.RawHttp;
import io.ventra.gateway.proxy.testing.ScriptedUpstream.Recorded;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inputs a second round of hostile testing found: trailers, method overrides, Host values, fake upgrades. */
class HardeningIntegrationTest {
    private GatewayFixture gateway;

    @BeforeEach
    void start() {
        gateway = GatewayFixture.builder()
                .edit(yaml -> yaml.replace("sourcing: { path: /api/sourcing/**, limit: 3, period: 1m }",
                        "sourcing: { path: /api/sourcing/**, limit: 3, period: 1m, methods: [POST] }"))
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
    }

    @Test
    void dropsRequestTrailersSoTheyCannotCarryHeadersPastTheChecks() throws IOException {
        try (RawHttp raw = gateway.raw()) {
            RawHttp.Response response = raw.send("POST /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ent-a\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-API-Key: free-a\r\nHost: evil\r\n"
                    + "X-Forwarded-For: 1.2.3.4\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
        }
        Recorded received = gateway.upstream().requests().get(0);
        assertThat(received.bodyText()).isEqualTo("hello");
        assertThat(gateway.upstream().rawReceived()).doesNotContain("evil").doesNotContain("1.2.3.4")
                .doesNotContain("free-a");
    }

    @Test
    void chargesAMethodRestrictedQuotaForTheMethodAnOverrideHeaderAsksFor() throws IOException {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            try (RawHttp raw = gateway.raw()) {
                statuses.add(raw.send("GET /api/sourcing/x HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-a\r\n"
                        + "X-HTTP-Method-Override: post\r\n\r\n").read().status());
            }
        }
        assertThat(statuses).containsExactly(200, 200, 200, 429);
    }

    @Test
    void refusesInvalidHostValues() throws IOException {
        for (String host : List.of("a, b", "a@evil", "a b", "exa mple:80", "[::1", "host:port")) {
            try (RawHttp raw = gateway.raw()) {
                RawHttp.Response response = raw.send("GET /api/other HTTP/1.1\r\nHost: " + host
                        + "\r\nX-API-Key: pro-a\r\n\r\n").read();
                assertThat(response.status()).as(host).isEqualTo(400);
            }
        }
        for (String host : List.of("example.test", "example.test:8080", "127.0.0.1:80", "[::1]:8080")) {
            try (RawHttp raw = gateway.raw()) {
                RawHttp.Response response = raw.send("GET /api/other HTTP/1.1\r\nHost: " + host
                        + "\r\nX-API-Key: pro-a\r\n\r\n").read();
                assertThat(response.status()).as(host).isEqualTo(200);
            }
        }
        assertThat(gateway.upstream().requests()).hasSize(4);
    }

    @Test
    void doesNotTreatAnUpgradeWithoutWebSocketKeyAndVersionAsAWebSocket() throws IOException {
        try (RawHttp raw = gateway.raw()) {
            RawHttp.Response response = raw.send("GET /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-a\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
        }
        Recorded received = gateway.upstream().requests().get(0);
        assertThat(received.all("Upgrade")).isEmpty();
    }
}
