package io.ventra.gateway.proxy.metrics;

import static io.ventra.gateway.proxy.metrics.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ventra.gateway.proxy.testing.GatewayFixture;
import io.ventra.gateway.proxy.testing.ScriptedUpstream.Reply;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} on the admin port, after known traffic through a real gateway. */
class MetricsIntegrationTest {
    private static final String ROUTE = "/api/**";

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
    void countsRequestsDecisionsAndLatenciesExactly() {
        for (int i = 0; i < 31; i++) {
            gateway.get("free-a", "/api/other/" + i);
        }
        for (int i = 0; i < 6; i++) {
            gateway.get("free-b", "/api/discovery/search");
        }
        gateway.get(null, "/api/other");
        gateway.get("no-such-key", "/api/other");
        gateway.get("pro-a", "/elsewhere");
        gateway.get("ent-a", "/api/other");

        String text = awaitScrape("ventra_requests_total", 41, ROUTE, "none");

        assertThat(value(text, "ventra_requests_total", "route", ROUTE, "method", "GET", "status_class", "2xx"))
                .isEqualTo(30 + 5 + 1);
        assertThat(value(text, "ventra_requests_total", "route", ROUTE, "method", "GET", "status_class", "4xx"))
                .isEqualTo(2);
        assertThat(value(text, "ventra_requests_total", "route", "none", "method", "GET", "status_class", "4xx"))
                .isEqualTo(3);
        // The endpoint label names the endpoint quota that decided: the one with fewest tokens left, or the one
        // that refused. Discovery (5) binds before the plan (30) on each of its requests.
        assertThat(value(text, "ventra_decisions_total", "plan", "free", "endpoint", "none", "outcome", "allowed"))
                .isEqualTo(30);
        assertThat(value(text, "ventra_decisions_total", "plan", "free", "endpoint", "none", "outcome", "limited"))
                .isEqualTo(1);
        assertThat(value(text, "ventra_decisions_total", "plan", "free", "endpoint", "discovery",
                "outcome", "allowed")).isEqualTo(5);
        assertThat(value(text, "ventra_decisions_total", "plan", "free", "endpoint", "discovery",
                "outcome", "limited")).isEqualTo(1);
        assertThat(value(text, "ventra_decisions_total", "plan", "enterprise", "endpoint", "none",
                "outcome", "unlimited")).isEqualTo(1);
        assertThat(value(text, "ventra_request_duration_seconds_count", "route", ROUTE)).isEqualTo(38);
        assertThat(value(text, "ventra_request_duration_seconds_count", "route", "none")).isEqualTo(3);
        assertThat(value(text, "ventra_upstream_duration_seconds_count", "route", ROUTE)).isEqualTo(36);
        // Every decision that touched a bucket: 31 + 6 (the unlimited one and the refusals before limiting did not).
        assertThat(value(text, "ventra_store_duration_seconds_count")).isEqualTo(37);
        assertThat(value(text, "ventra_store_errors_total")).isZero();
        assertThat(value(text, "ventra_store_up")).isEqualTo(1);
        assertThat(value(text, "ventra_store_circuit_open")).isZero();
        assertThat(value(text, "ventra_requests_in_flight")).isZero();
        assertThat(text).contains("ventra_request_duration_seconds_bucket{", "le=\"+Inf\"",
                "jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads", "process_cpu_usage",
                "process_uptime_seconds", "system_cpu_count", "netty_allocator_memory_used");
    }

    @Test
    void countsUpstreamErrorsByKindAndOpenConnections() throws Exception {
        gateway.upstream().script(request -> request.target().endsWith("/slow")
                ? Reply.delayed(5000, Reply.ok("late")) : Reply.close());

        HttpResponse<String> reset = gateway.get("pro-a", "/api/other/reset");
        HttpResponse<String> timeout = gateway.get("pro-a", "/api/other/slow");
        try (var idle = gateway.raw()) {
            idle.send("GET /api/other/x HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-b\r\n\r\n").read();
            String text = awaitScrape("ventra_requests_total", 3, ROUTE);

            assertThat(value(text, "ventra_connections_open")).isGreaterThanOrEqualTo(1);
        }

        assertThat(reset.statusCode()).isEqualTo(502);
        assertThat(timeout.statusCode()).isEqualTo(504);
        String text = gateway.admin("/metrics").body();
        assertThat(value(text, "ventra_upstream_errors_total", "kind", "timeout")).isEqualTo(1);
        assertThat(value(text, "ventra_upstream_errors_total", "kind", "reset")
                + Math.max(0, value(text, "ventra_upstream_errors_total", "kind", "connect"))).isEqualTo(2);
        assertThat(value(text, "ventra_requests_total", "route", ROUTE, "method", "GET", "status_class", "5xx"))
                .isEqualTo(3);
    }

    @Test
    void servesPrometheusTextWithItsContentType() {
        HttpResponse<String> response = gateway.admin("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# TYPE ventra_requests_in_flight gauge");
    }

    /** Waits until the requests counted over the given routes reach {@code total} (counted after each reply). */
    private String awaitScrape(String name, int total, String... routes) {
        String[] last = new String[1];
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            last[0] = gateway.admin("/metrics").body();
            double sum = 0;
            for (String line : last[0].split("\n")) {
                for (String route : routes) {
                    if (line.startsWith(name + "{") && line.contains("route=\"" + route + "\"")) {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            }
            return sum == total;
        });
        return last[0];
    }
}
