package io.ventra.gateway.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.core.testing.ManualClock;
import io.ventra.gateway.proxy.testing.GatewayFixture;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plan and endpoint limits enforced over real HTTP through the gateway, in front of a real upstream. */
class RateLimitIntegrationTest {
    private final ManualClock clock = new ManualClock();
    private GatewayFixture gateway;

    @BeforeEach
    void start() {
        gateway = GatewayFixture.builder().clock(clock).build();
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
    }

    @Test
    void freeKeyGetsExactlyThirtyThenTooManyRequestsWithHeaders() {
        // Case C08: Remaining counts 29 … 0 from the first request, never negative.
        List<Integer> statuses = new ArrayList<>();
        List<String> remaining = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 35; i++) {
            last = gateway.get("free-a", "/api/other");
            statuses.add(last.statusCode());
            remaining.add(last.headers().firstValue("X-RateLimit-Remaining").orElse("missing"));
        }

        assertThat(statuses.subList(0, 30)).containsOnly(200);
        assertThat(statuses.subList(30, 35)).containsOnly(429);
        for (int i = 0; i < 30; i++) {
            assertThat(remaining.get(i)).isEqualTo(Integer.toString(29 - i));
        }
        assertThat(remaining.subList(30, 35)).containsOnly("0");
        assertThat(last.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(last.headers().firstValue("X-RateLimit-Limit")).hasValue("30");
        assertThat(last.headers().firstValue("X-RateLimit-Reset")).hasValue("2");
        assertThat(last.headers().firstValue("RateLimit-Policy")).hasValue("\"free\";q=30;w=60");
        assertThat(last.headers().firstValue("RateLimit")).hasValue("\"free\";r=0;t=2");
        assertThat(last.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(last.body()).contains("\"status\":429").contains("\"limit\":\"free\"");
        assertThat(gateway.upstream().requests()).hasSize(30);
    }

    @Test
    void retryAfterThatLongSucceeds() {
        for (int i = 0; i < 30; i++) {
            gateway.get("free-b", "/api/other");
        }
        HttpResponse<String> refused = gateway.get("free-b", "/api/other");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());

        clock.advance(Duration.ofSeconds(retryAfter));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(gateway.get("free-b", "/api/other").statusCode()).isEqualTo(200);
    }

    @Test
    void proGetsOneHundredTwentyAndEnterpriseIsNeverLimited() {
        int proAllowed = 0;
        for (int i = 0; i < 125; i++) {
            proAllowed += gateway.get("pro-a", "/api/other").statusCode() == 200 ? 1 : 0;
        }
        List<Integer> enterprise = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            enterprise.add(gateway.get("ent-a", "/api/other").statusCode());
        }
        HttpResponse<String> unlimited = gateway.get("ent-a", "/api/other");

        assertThat(proAllowed).isEqualTo(120);
        assertThat(enterprise).containsOnly(200);
        // Case C11: no made-up Limit: 0 or Remaining: -1 for unlimited plans.
        assertThat(unlimited.headers().firstValue("X-RateLimit-Remaining")).isEmpty();
        assertThat(unlimited.headers().firstValue("X-RateLimit-Limit")).isEmpty();
    }

    @Test
    void discoveryHeadersDescribeTheBindingLimitAndRefusalChargesNoPlanToken() {
        // Case C10.
        List<String> remaining = new ArrayList<>();
        List<String> limits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = gateway.get("free-g", "/api/discovery/search");
            assertThat(response.statusCode()).isEqualTo(200);
            remaining.add(response.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
            limits.add(response.headers().firstValue("X-RateLimit-Limit").orElseThrow());
        }
        HttpResponse<String> sixth = gateway.get("free-g", "/api/discovery/search");
        HttpResponse<String> other = gateway.get("free-g", "/api/other");

        assertThat(remaining).containsExactly("4", "3", "2", "1", "0");
        assertThat(limits).containsOnly("5");
        assertThat(sixth.statusCode()).isEqualTo(429);
        assertThat(sixth.headers().firstValue("X-RateLimit-Limit")).hasValue("5");
        assertThat(sixth.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        assertThat(Long.parseLong(sixth.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 12L);
        assertThat(sixth.body()).contains("\"limit\":\"discovery\"");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("X-RateLimit-Limit")).hasValue("30");
        assertThat(other.headers().firstValue("X-RateLimit-Remaining")).hasValue("24");
    }

    @Test
    void endpointQuotasHaveSeparateBucketsAndThePlanStillApplies() {
        // Case C12.
        List<Integer> sourcing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sourcing.add(gateway.get("free-h", "/api/sourcing/x").statusCode());
        }
        List<Integer> discovery = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            discovery.add(gateway.get("free-h", "/api/discovery/x").statusCode());
        }
        List<Integer> otherAccount = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            otherAccount.add(gateway.get("free-i", "/api/discovery/x").statusCode());
        }
        for (int i = 0; i < 28; i++) {
            gateway.get("free-j", "/api/other");
        }
        List<HttpResponse<String>> planBound = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            planBound.add(gateway.get("free-j", "/api/discovery/x"));
        }

        assertThat(sourcing).containsExactly(200, 200, 200, 429);
        assertThat(discovery).containsExactly(200, 200, 200, 200, 200, 429);
        assertThat(otherAccount).containsOnly(200);
        assertThat(planBound).extracting(HttpResponse::statusCode).containsExactly(200, 200, 429);
        assertThat(planBound.get(2).headers().firstValue("X-RateLimit-Limit")).hasValue("30");
        assertThat(planBound.get(2).headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
    }

    @Test
    void aRefusalByOneLimitConsumesNoTokenFromTheOther() {
        // Case C13, step 1.
        int discoveryAllowed = 0;
        for (int i = 0; i < 20; i++) {
            discoveryAllowed += gateway.get("free-k", "/api/discovery/x").statusCode() == 200 ? 1 : 0;
        }
        List<Integer> other = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            other.add(gateway.get("free-k", "/api/other").statusCode());
        }
        assertThat(discoveryAllowed).isEqualTo(5);
        assertThat(other.subList(0, 25)).containsOnly(200);
        assertThat(other.get(25)).isEqualTo(429);

        // Step 2: a plan refusal on a Discovery route leaves Discovery's tokens alone.
        for (int i = 0; i < 30; i++) {
            gateway.get("free-l", "/api/other");
        }
        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            refused.add(gateway.get("free-l", "/api/discovery/x").statusCode());
        }
        clock.advance(Duration.ofSeconds(12));
        List<Integer> afterRefill = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            afterRefill.add(gateway.get("free-l", "/api/discovery/x").statusCode());
        }
        assertThat(refused).containsOnly(429);
        assertThat(afterRefill).containsOnly(200);
    }

    @Test
    void missingBlankAndUnknownKeysGet401AndDrainNoSharedBucket() {
        // Case C14, steps 1 and 2.
        for (int i = 0; i < 31; i++) {
            gateway.get("free-n", "/api/other");
        }
        HttpResponse<String> neighbour = gateway.get("free-o", "/api/other");
        assertThat(neighbour.statusCode()).isEqualTo(200);
        assertThat(neighbour.headers().firstValue("X-RateLimit-Remaining")).hasValue("29");

        for (int i = 0; i < 50; i++) {
            assertThat(gateway.get(null, "/api/other").statusCode()).isEqualTo(401);
            assertThat(gateway.get("nonexistent-" + i, "/api/other").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> fresh = gateway.get("free-p", "/api/other");
        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(fresh.headers().firstValue("X-RateLimit-Remaining")).hasValue("29");
        assertThat(gateway.upstream().requests()).noneMatch(r -> r.header("X-API-Key") == null);
    }

    @Test
    void blankKeysAreRefusedOverRawSockets() throws IOException {
        for (String header : List.of("X-API-Key:\r\n", "X-API-Key:    \r\n")) {
            try (var raw = gateway.raw()) {
                var response = raw.send("GET /api/other HTTP/1.1\r\nHost: localhost\r\n" + header + "\r\n").read();
                assertThat(response.status()).isEqualTo(401);
                assertThat(response.bodyText()).contains("\"status\":401").doesNotContain("Exception");
            }
        }
        assertThat(gateway.upstream().requests()).isEmpty();
    }

    @Test
    void twoApiKeyHeadersAreRefusedBeforeAnyoneIsCharged() throws IOException {
        try (var raw = gateway.raw()) {
            var response = raw.send("GET /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: free-q\r\n"
                    + "X-API-Key: ent-q\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.bodyText()).contains("more than one API key");
        }
        assertThat(gateway.upstream().requests()).isEmpty();
        assertThat(gateway.get("free-q", "/api/other").headers().firstValue("X-RateLimit-Remaining")).hasValue("29");
    }

    @Test
    void aKeyIdleForLongerThanItsPeriodStartsFullAgain() {
        // Case C08, step 3: the cold path shows the same number as the warm path.
        for (int i = 0; i < 32; i++) {
            gateway.get("free-e", "/api/other");
        }
        clock.advance(Duration.ofSeconds(65));

        assertThat(gateway.get("free-e", "/api/other").headers().firstValue("X-RateLimit-Remaining")).hasValue("29");
    }
}
