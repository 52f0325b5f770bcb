package io.ventra.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ventra.gateway.core.Admission.Verdict;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.headers.Problem;
import io.ventra.gateway.core.limit.Decision;
import io.ventra.gateway.core.store.MemoryBucketStore;
import io.ventra.gateway.core.testing.ManualClock;
import io.ventra.gateway.core.testing.TestConfigs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library entry point: identify, route, limit, in that order, and charge nothing for refusals. */
final class GatekeeperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT = "203.0.113.7";
    private static final String OTHER = "/api/other";
    private static final String DISCOVERY = "/api/v1/discovery/search";

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final MemoryBucketStore store = new MemoryBucketStore(clock, 10_000);

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void refusesMissingBlankAndUnknownKeysWithoutCreatingABucket() {
        // C14 step 2: no shared bucket for keyless callers, and unknown keys never create buckets
        Gatekeeper gatekeeper = gatekeeper(TestConfigs.GATEWAY_YAML);

        for (String key : Arrays.asList(null, "", "    ", "nonexistent-123", "free-a-but-longer", "FREE-A")) {
            for (int i = 0; i < 50; i++) {
                Admission admission = admit(gatekeeper, key, OTHER);
                assertThat(admission.verdict()).as("key '%s'", key).isEqualTo(Verdict.UNAUTHORIZED);
                assertThat(admission.caller()).isNull();
                assertThat(admission.decision()).isNull();
            }
        }
        assertThat(store.size()).isZero();

        assertThat(admit(gatekeeper, "free-b", OTHER).decision().remaining()).isEqualTo(29);
    }

    @Test
    void refusesAMalformedPathBeforeLookingAtTheKey() {
        Gatekeeper gatekeeper = gatekeeper(TestConfigs.GATEWAY_YAML);

        for (String target : List.of("/api/%zz", "/api/%", "api/other", "/api/a b", "*")) {
            assertThat(admit(gatekeeper, "free-a", target).verdict()).as(target).isEqualTo(Verdict.BAD_REQUEST);
            assertThat(admit(gatekeeper, null, target).verdict()).as(target).isEqualTo(Verdict.BAD_REQUEST);
        }
        assertThat(store.size()).isZero();
    }

    @Test
    void answersNotFoundForAnUnroutedPathWithoutChargingAToken() {
        Gatekeeper gatekeeper = gatekeeper(TestConfigs.GATEWAY_YAML);

        Admission admission = admit(gatekeeper, "free-a", "/no-such-route");

        assertThat(admission.verdict()).isEqualTo(Verdict.NOT_FOUND);
        assertThat(admission.caller().account()).isEqualTo("acme-free");
        assertThat(admission.route()).isNull();
        assertThat(admission.decision()).isNull();
        assertThat(store.size()).isZero();
    }

    @Test
    void tellsStrangersNothingAboutRoutes() {
        Gatekeeper gatekeeper = gatekeeper(TestConfigs.GATEWAY_YAML);

        assertThat(admit(gatekeeper, "nonexistent", "/no-such-route").verdict()).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(admit(gatekeeper, "nonexistent", OTHER).verdict()).isEqualTo(Verdict.UNAUTHORIZED);
    }

    @Test
    void passesARoutedRequestAndChargesThePlan() {
        Gatekeeper gatekeeper = gatekeeper(TestConfigs.GATEWAY_YAML);

        Admission admission = admit(gatekeeper, "free-a", OTHER);

        assertThat(admission.isPass()).isTrue();
        assertThat(admission.route().path()).hasToString("/api/**");
        assertThat(admission.caller().plan().name()).isEqualTo("free");
        assertThat(admission.caller().anonymous()).isFalse();
        assertThat(admission.decision().quota().limit().name()).isEqualTo("free");
        assertThat(admission.decision().remaining()).isEqualTo(29);
    }

    @Test
    void limitsTheThirtyFirstRequestWithAProblemBodyNamingTheLimit() throws IOException {
        Gatekeeper gatekeeper = gatekeeper(TestConfigs.GATEWAY_YAML);
        assertThat(admit(gatekeeper, "free-a", OTHER, 30)).allMatch(Admission::isPass);

        Admission limited = admit(gatekeeper, "free-a", OTHER);

        assertThat(limited.verdict()).isEqualTo(Verdict.LIMITED);
        assertThat(limited.isPass()).isFalse();
        Problem problem = limited.problem();
        assertThat(problem.status()).isEqualTo(429);
        JsonNode body = JSON.readTree(problem.toJson());
        assertThat(body.get("status").asInt()).isEqualTo(429);
        assertThat(body.get("title").asText()).isEqualTo("Too Many Requests");
        assertThat(body.get("limit").asText()).isEqualTo("free");
        assertThat(body.get("scope").asText()).isEqualTo("plan");
        assertThat(body.get("retry_after").asLong()).isEqualTo(2);
        assertThat(body.get("detail").asText()).contains("'free'", "30 requests per 60 s", "Retry after 2 s");
    }

    @Test
    void problemBodyNamesTheEndpointQuotaThatRefused() throws IOException {
        Gatekeeper gatekeeper = gatekeeper(TestConfigs.GATEWAY_YAML);
        admit(gatekeeper, "free-a", DISCOVERY, 5);

        JsonNode body = JSON.readTree(admit(gatekeeper, "free-a", DISCOVERY).problem().toJson());

        assertThat(body.get("limit").asText()).isEqualTo("discovery");
        assertThat(body.get("scope").asText()).isEqualTo("endpoint");
        assertThat(body.get("retry_after").asLong()).isEqualTo(12);
    }

    @Test
    void problemBodiesAreFixedJsonThatNeverEchoesTheRequest() throws IOException {
        Gatekeeper gatekeeper = gatekeeper(TestConfigs.GATEWAY_YAML);
        String hostile = "/<script>alert(1)</script>";

        Admission notFound = admit(gatekeeper, "free-a", hostile);
        Admission unauthorized = admit(gatekeeper, "<b>key</b>", hostile);
        Admission badRequest = admit(gatekeeper, "free-a", hostile + "%zz");

        assertThat(List.of(notFound, unauthorized, badRequest)).extracting(a -> a.problem().status())
                .containsExactly(404, 401, 400);
        for (Admission admission : List.of(notFound, unauthorized, badRequest)) {
            String json = new String(admission.problem().toJson(), StandardCharsets.UTF_8);
            assertThat(JSON.readTree(json).get("type").asText()).isEqualTo("about:blank");
            assertThat(json).doesNotContain("script", "<b>", "key</b>", "Exception", "\tat ");
        }
    }

    @Test
    void twoKeysOfOneAccountShareItsBuckets() {
        Gatekeeper gatekeeper = gatekeeper(TestConfigs.GATEWAY_YAML);

        assertThat(admit(gatekeeper, "free-a", OTHER).decision().remaining()).isEqualTo(29);
        assertThat(admit(gatekeeper, "free-a2", OTHER).decision().remaining()).isEqualTo(28);
        assertThat(admit(gatekeeper, "free-a", DISCOVERY).decision().remaining()).isEqualTo(4);
        assertThat(admit(gatekeeper, "free-a2", DISCOVERY).decision().remaining()).isEqualTo(3);
    }

    @Test
    void accountsDoNotShareBucketsEvenFromOneAddress() {
        // C14 step 1: free-n exhausts its plan, free-o from the same client still has 29
        Gatekeeper gatekeeper = gatekeeper(TestConfigs.GATEWAY_YAML);

        List<Admission> burst = admit(gatekeeper, "free-a", OTHER, 31);

        assertThat(burst.subList(0, 30)).allMatch(Admission::isPass);
        assertThat(burst.get(30).verdict()).isEqualTo(Verdict.LIMITED);
        assertThat(admit(gatekeeper, "free-b", OTHER).decision().remaining()).isEqualTo(29);
    }

    @Test
    void limitsEverySpellingOfADiscoveryPathByTheDiscoveryQuota() {
        Gatekeeper gatekeeper = gatekeeper(TestConfigs.GATEWAY_YAML);
        List<String> spellings = List.of("/API/V1/Discovery/search", "/api/v1/%64iscovery/x", "/api//v1//discovery",
                "/api/v1/x/../discovery;a=b?q=1", "http://gateway.example/api/v1/./discovery");

        for (String target : spellings) {
            assertThat(admit(gatekeeper, "free-a", target).decision().quota().limit().name()).as(target)
                    .isEqualTo("discovery");
        }
        assertThat(admit(gatekeeper, "free-a", DISCOVERY).verdict()).isEqualTo(Verdict.LIMITED);
    }

    @Test
    void unlimitedPlanPassesWithoutTouchingTheStore() {
        // C11 step 1
        Gatekeeper gatekeeper = gatekeeper(TestConfigs.GATEWAY_YAML);

        List<Admission> admissions = admit(gatekeeper, "ent-a", OTHER, 200);

        assertThat(admissions).allSatisfy(a -> {
            assertThat(a.isPass()).isTrue();
            assertThat(a.decision().outcome()).isEqualTo(Decision.Outcome.UNLIMITED);
        });
        assertThat(store.size()).isZero();
    }

    @Test
    void limitsAnonymousCallersPerClientAddress() {
        // C14 step 3: one bucket per peer address, named ip:<address>
        Gatekeeper gatekeeper = gatekeeper(byIp());

        Admission first = gatekeeper.admit(null, CLIENT, "GET", OTHER).join();

        assertThat(first.isPass()).isTrue();
        assertThat(first.caller().account()).isEqualTo("ip:" + CLIENT);
        assertThat(first.caller().anonymous()).isTrue();
        assertThat(first.caller().plan().name()).isEqualTo("free");
        assertThat(first.decision().remaining()).isEqualTo(29);
        for (int i = 0; i < 29; i++) {
            gatekeeper.admit(null, CLIENT, "GET", OTHER).join();
        }
        assertThat(gatekeeper.admit(null, CLIENT, "GET", OTHER).join().verdict()).isEqualTo(Verdict.LIMITED);
        assertThat(gatekeeper.admit(null, "203.0.113.8", "GET", OTHER).join().decision().remaining())
                .isEqualTo(29);
        assertThat(gatekeeper.admit(null, "2001:db8::1", "GET", OTHER).join().caller().account())
                .isEqualTo("ip:2001:db8::1");
    }

    @Test
    void anonymousByIpStillRefusesBlankAndUnknownKeys() {
        Gatekeeper gatekeeper = gatekeeper(byIp());

        assertThat(gatekeeper.admit("", CLIENT, "GET", OTHER).join().verdict()).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(gatekeeper.admit("  ", CLIENT, "GET", OTHER).join().verdict()).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(gatekeeper.admit("nope", CLIENT, "GET", OTHER).join().verdict())
                .isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(gatekeeper.admit(null, null, "GET", OTHER).join().verdict()).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(store.size()).isZero();
    }

    @Test
    void rejectPolicyRefusesKeylessCallersWhateverTheirAddress() {
        Gatekeeper gatekeeper = gatekeeper(TestConfigs.GATEWAY_YAML);

        assertThat(gatekeeper.admit(null, CLIENT, "GET", OTHER).join().verdict()).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(store.size()).isZero();
    }

    @Test
    void routesToTheFirstMatchingRouteInFileOrder() {
        String yaml = TestConfigs.GATEWAY_YAML.replace("  - { path: /api/**, upstream: http://127.0.0.1:3000 }",
                "  - { path: /api/v1/**, upstream: http://127.0.0.1:3001 }\n"
                        + "  - { path: /api/**, upstream: http://127.0.0.1:3000 }");
        Gatekeeper gatekeeper = gatekeeper(yaml);

        assertThat(admit(gatekeeper, "free-a", DISCOVERY).route().upstreamPort()).isEqualTo(3001);
        assertThat(admit(gatekeeper, "free-a", OTHER).route().upstreamPort()).isEqualTo(3000);
        assertThat(gatekeeper.route("/elsewhere")).isNull();
    }

    private Gatekeeper gatekeeper(String yaml) {
        GatewayConfig config = TestConfigs.load(dir, yaml);
        return Gatekeeper.create(config, store);
    }

    private static String byIp() {
        return TestConfigs.GATEWAY_YAML.replace("anonymous: reject", "anonymous: by-ip\n  anonymous-plan: free");
    }

    private static Admission admit(Gatekeeper gatekeeper, String key, String target) {
        return gatekeeper.admit(key, CLIENT, "GET", target).join();
    }

    private static List<Admission> admit(Gatekeeper gatekeeper, String key, String target, int times) {
        List<Admission> admissions = new ArrayList<>(times);
        for (int i = 0; i < times; i++) {
            admissions.add(admit(gatekeeper, key, target));
        }
        return admissions;
    }
}
