package io.ventra.gateway.core.headers;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.RefillMode;
import io.ventra.gateway.core.limit.Decision;
import io.ventra.gateway.core.limit.Quota;
import io.ventra.gateway.core.limit.RateLimiter;
import io.ventra.gateway.core.store.MemoryBucketStore;
import io.ventra.gateway.core.testing.ManualClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exact header values for allowed, limited and unlimited decisions. */
final class RateLimitHeadersTest {
    private static final Quota FREE = new Quota(Quota.Scope.PLAN,
            new LimitConfig("free", 30, Duration.ofMinutes(1), RefillMode.GREEDY));
    private static final Quota DISCOVERY = new Quota(Quota.Scope.ENDPOINT,
            new LimitConfig("discovery", 5, Duration.ofMinutes(1), RefillMode.GREEDY));

    private final ManualClock clock = new ManualClock();
    private final MemoryBucketStore store = new MemoryBucketStore(clock, 1_000);
    private final RateLimiter limiter = new RateLimiter(store);

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void describesTheFirstAllowedRequestOfAFreshFreeBucket() {
        // C08: the first request shows 29, and the bucket is full again 2 s later
        Map<String, String> headers = render(acquire("free-e", FREE));

        assertThat(headers).containsExactly(
                Map.entry("RateLimit-Policy", "\"free\";q=30;w=60"),
                Map.entry("RateLimit", "\"free\";r=29;t=2"),
                Map.entry("X-RateLimit-Limit", "30"),
                Map.entry("X-RateLimit-Remaining", "29"),
                Map.entry("X-RateLimit-Reset", "2"));
    }

    @Test
    void resetIsTheTimeUntilTheBucketIsFullAgain() {
        for (int i = 0; i < 9; i++) {
            acquire("free-e", FREE);
        }

        Map<String, String> headers = render(acquire("free-e", FREE));

        assertThat(headers).containsEntry("RateLimit", "\"free\";r=20;t=20")
                .containsEntry("X-RateLimit-Remaining", "20")
                .containsEntry("X-RateLimit-Reset", "20")
                .doesNotContainKey("Retry-After");
    }

    @Test
    void describesARefusalByAnEmptyFreeBucket() {
        // C08: requests 31 and 32 show 0, never -1
        for (int i = 0; i < 30; i++) {
            acquire("free-e", FREE);
        }

        for (int i = 0; i < 2; i++) {
            assertThat(render(acquire("free-e", FREE))).containsExactly(
                    Map.entry("RateLimit-Policy", "\"free\";q=30;w=60"),
                    Map.entry("RateLimit", "\"free\";r=0;t=2"),
                    Map.entry("X-RateLimit-Limit", "30"),
                    Map.entry("X-RateLimit-Remaining", "0"),
                    Map.entry("X-RateLimit-Reset", "2"),
                    Map.entry("Retry-After", "2"));
        }
    }

    @Test
    void describesTheBindingDiscoveryQuotaOnStackedLimits() {
        // C10: Limit 5 and Remaining 4..0, then a refusal with Retry-After 12, not the plan's 2 or 60
        for (int i = 0; i < 5; i++) {
            Map<String, String> headers = render(acquire("free-g", DISCOVERY, FREE));
            assertThat(headers).containsEntry("X-RateLimit-Limit", "5")
                    .containsEntry("X-RateLimit-Remaining", Integer.toString(4 - i))
                    .containsEntry("RateLimit-Policy", "\"discovery\";q=5;w=60");
        }

        Map<String, String> refused = render(acquire("free-g", DISCOVERY, FREE));

        assertThat(refused).containsEntry("RateLimit", "\"discovery\";r=0;t=12")
                .containsEntry("X-RateLimit-Limit", "5")
                .containsEntry("X-RateLimit-Remaining", "0")
                .containsEntry("Retry-After", "12");
    }

    @Test
    void retryAfterRoundsUpAndARetryAfterThatLongSucceeds() {
        for (int i = 0; i < 30; i++) {
            acquire("free-e", FREE);
        }
        clock.advance(Duration.ofMillis(500));

        Decision refused = acquire("free-e", FREE);
        assertThat(refused.retryAfterNanos()).isEqualTo(Duration.ofMillis(1_500).toNanos());
        assertThat(render(refused)).containsEntry("Retry-After", "2").containsEntry("RateLimit", "\"free\";r=0;t=2");

        clock.advance(Duration.ofSeconds(Long.parseLong(render(refused).get("Retry-After"))));
        assertThat(acquire("free-e", FREE).isAllowed()).isTrue();
    }

    @ParameterizedTest(name = "{0} ns -> {1}")
    @CsvSource({
        "0,              1",
        "1,              1",
        "999999999,      1",
        "1000000000,     1",
        "1000000001,     2",
        "2000000000,     2",
        "11999999999,    12",
        "12000000000,    12",
        "3600000000001,  3601",
    })
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne(long nanos, String seconds) {
        Decision limited = new Decision(Decision.Outcome.LIMITED, FREE, 0, nanos, nanos);

        Map<String, String> headers = render(limited);

        assertThat(headers).containsEntry("Retry-After", seconds).containsEntry("X-RateLimit-Reset", seconds);
    }

    @Test
    void remainingIsNeverNegative() {
        Decision decision = new Decision(Decision.Outcome.LIMITED, FREE, -1, 2_000_000_000L, 2_000_000_000L);

        assertThat(render(decision)).containsEntry("X-RateLimit-Remaining", "0")
                .containsEntry("RateLimit", "\"free\";r=0;t=2");
    }

    @Test
    void windowIsThePeriodInWholeSecondsRoundedUp() {
        Quota burst = new Quota(Quota.Scope.ENDPOINT,
                new LimitConfig("burst", 10, Duration.ofMillis(1_500), RefillMode.INTERVAL));
        Quota daily = new Quota(Quota.Scope.PLAN,
                new LimitConfig("daily", 2_147_483_648L, Duration.ofDays(1), RefillMode.GREEDY));

        assertThat(render(acquire("free-e", burst))).containsEntry("RateLimit-Policy", "\"burst\";q=10;w=2");
        assertThat(render(acquire("free-e", daily)))
                .containsEntry("RateLimit-Policy", "\"daily\";q=2147483648;w=86400")
                .containsEntry("X-RateLimit-Remaining", "2147483647");
    }

    @Test
    void unlimitedDecisionsGetNoRateLimitHeaders() {
        // C11: never a made-up Limit: 0 or Remaining: 0
        Decision unlimited = limiter.acquire("globex", List.of()).join();

        assertThat(unlimited.outcome()).isEqualTo(Decision.Outcome.UNLIMITED);
        assertThat(render(unlimited)).isEmpty();
    }

    private Decision acquire(String account, Quota... quotas) {
        return limiter.acquire(account, List.of(quotas)).join();
    }

    private static Map<String, String> render(Decision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        RateLimitHeaders.render(decision, (name, value) -> {
            assertThat(headers).as("set once: %s", name).doesNotContainKey(name);
            headers.put(name, value);
        });
        return headers;
    }
}
