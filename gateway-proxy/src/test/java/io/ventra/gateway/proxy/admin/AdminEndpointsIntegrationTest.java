package io.ventra.gateway.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ventra.gateway.proxy.Version;
import io.ventra.gateway.proxy.testing.GatewayFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Health, readiness and the reload endpoint's access control on the admin port. */
class AdminEndpointsIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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
    void livenessAnswersWithVersionAndCommit() throws Exception {
        HttpResponse<String> live = gateway.admin("/health/live");
        JsonNode body = JSON.readTree(live.body());

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("version").asText()).isEqualTo(Version.VERSION).isNotEqualTo("unknown");
        assertThat(body.get("commit").asText()).isEqualTo(Version.COMMIT);
    }

    @Test
    void readinessReportsEachComponent() throws Exception {
        for (String path : new String[] {"/health/ready", "/health"}) {
            HttpResponse<String> ready = gateway.admin(path);
            JsonNode components = JSON.readTree(ready.body()).get("components");

            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("UP");
            assertThat(components.get("store").get("status").asText()).isEqualTo("UP");
            assertThat(components.get("store").get("type").asText()).isEqualTo("memory");
            assertThat(components.get("upstreams").get("status").asText()).isEqualTo("UP");
            assertThat(components.get("upstreams").get("targets")
                    .get("127.0.0.1:" + gateway.upstream().port()).asText()).isEqualTo("UP");
            assertThat(components.get("draining").asBoolean()).isFalse();
            assertThat(components.get("config").get("routes").asInt()).isEqualTo(1);
        }
    }

    @Test
    void readinessStaysUpAndReportsAnUpstreamThatIsDown() throws Exception {
        gateway.upstream().close();

        HttpResponse<String> ready = gateway.admin("/health/ready");
        JsonNode upstreams = JSON.readTree(ready.body()).get("components").get("upstreams");

        // An upstream outage is the upstream's; taking every gateway out of rotation would only add to it.
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(upstreams.get("status").asText()).isEqualTo("DOWN");
    }

    @Test
    void reloadIsDisabledWithoutAToken() {
        HttpResponse<String> response = post("/admin/reload", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("VENTRA_ADMIN_TOKEN");
    }

    @Test
    void reloadRefusesAMissingOrWrongToken() {
        gateway.server().adminToken("a-long-enough-admin-token");

        HttpResponse<String> missing = post("/admin/reload", null);
        HttpResponse<String> wrong = post("/admin/reload", "Bearer a-long-enough-admin-tokeX");
        HttpResponse<String> basic = post("/admin/reload", "Basic a-long-enough-admin-token");

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> v.startsWith("Bearer"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("a-long-enough");
    }

    @Test
    void answersUnknownPathsAndMethodsWithProblems() {
        assertThat(gateway.admin("/nope").statusCode()).isEqualTo(404);
        assertThat(post("/health", null).statusCode()).isEqualTo(405);
        assertThat(gateway.admin("/admin/reload").statusCode()).isEqualTo(405);
    }

    private HttpResponse<String> post(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.server().adminPort() + path)).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return gateway.send(request.build());
    }
}
