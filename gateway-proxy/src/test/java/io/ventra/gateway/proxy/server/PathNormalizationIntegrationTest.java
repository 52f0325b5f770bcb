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

/** No spelling of a Discovery URL escapes the Discovery quota, and each reaches the upstream byte for byte. */
class PathNormalizationIntegrationTest {
    private static final List<String> SPELLINGS = List.of(
            "//api/discovery", "/api/./discovery/x", "/API/Discovery", "/api/%64iscovery",
            "/api/discovery;x=1/y");

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
    void noSpellingOfDiscoveryEscapesTheDiscoveryQuota() throws IOException {
        // Each spelling either draws on the Discovery quota (limit 5) or, when the normalizer calls it
        // ambiguous (core PathNormalizer refuses a leading "//", for example), is refused with 400 before
        // limiting. None is ever served as a route without the Discovery quota.
        List<String> served = new ArrayList<>();
        int allowed = 0;
        for (int round = 0; round < 3; round++) {
            for (String target : SPELLINGS) {
                try (RawHttp raw = gateway.raw()) {
                    RawHttp.Response response = raw.send(get(target)).read();
                    assertThat(response.status()).as(target).isIn(200, 400, 429);
                    if (response.status() == 400) {
                        continue;
                    }
                    assertThat(response.header("X-RateLimit-Limit")).as(target).isEqualTo("5");
                    if (response.status() == 200) {
                        allowed++;
                        served.add(target);
                    }
                }
            }
        }
        try (RawHttp raw = gateway.raw()) {
            assertThat(raw.send(get("/api/discovery/plain")).read().status()).isEqualTo(429);
        }
        assertThat(allowed).isEqualTo(5);
        assertThat(gateway.upstream().requests()).extracting(Recorded::target).containsExactlyElementsOf(served);
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-d\r\n\r\n";
    }
}
