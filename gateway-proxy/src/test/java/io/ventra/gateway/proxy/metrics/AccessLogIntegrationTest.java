package io.ventra.gateway.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.store.MemoryBucketStore;
import io.ventra.gateway.proxy.server.GatewayServer;
import io.ventra.gateway.proxy.testing.ConfigFiles;
import io.ventra.gateway.proxy.testing.GatewayFixture;
import io.ventra.gateway.proxy.testing.RawHttp;
import io.ventra.gateway.proxy.testing.ScriptedUpstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The access log (one JSON object per request, no secrets) and trace-context pass-through. */
class AccessLogIntegrationTest {
    private static final String KEY = "sk-live-7f3a9c1e5b2d4f60";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    private ScriptedUpstream upstream;
    private GatewayServer server;

    @BeforeEach
    void start() {
        lines.start();
        accessLogger.addAppender(lines);
        upstream = ScriptedUpstream.start();
        ConfigFiles files = ConfigFiles.in(dir).key(KEY, "acme", "free").write(GatewayFixture.DEFAULT_YAML,
                upstream.port());
        server = GatewayServer.start(files.load(), new MemoryBucketStore(NanoClock.SYSTEM, 1000));
    }

    @AfterEach
    void stop() throws Exception {
        accessLogger.detachAppender(lines);
        server.stop(Duration.ofSeconds(1));
        upstream.close();
    }

    @Test
    void writesOneJsonLinePerRequestWithoutKeysTokensOrQuery() throws Exception {
        RawHttp.Response response;
        try (RawHttp client = RawHttp.connect(server.port())) {
            response = client.send("GET /api/other/items?api_key=" + KEY + "&token=q-secret HTTP/1.1\r\n"
                    + "Host: localhost\r\nX-API-Key: " + KEY + "\r\nAuthorization: Bearer bearer-secret\r\n"
                    + "Cookie: session=cookie-secret\r\nX-Request-Id: req-42\r\n\r\n").read();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.size() == 1);
        String line = lines.list.get(0).getFormattedMessage();
        JsonNode entry = JSON.readTree(line);

        assertThat(response.status()).isEqualTo(200);
        assertThat(line).doesNotContain(KEY).doesNotContain("secret").doesNotContain("\n");
        assertThat(entry.get("request_id").asText()).isEqualTo("req-42");
        assertThat(entry.get("method").asText()).isEqualTo("GET");
        assertThat(entry.get("path").asText()).isEqualTo("/api/other/items");
        assertThat(entry.get("status").asInt()).isEqualTo(200);
        assertThat(entry.get("account").asText()).isEqualTo("acme");
        assertThat(entry.get("plan").asText()).isEqualTo("free");
        assertThat(entry.get("route").asText()).isEqualTo("/api/**");
        assertThat(entry.get("decision").asText()).isEqualTo("allowed");
        assertThat(entry.get("bytes").asLong()).isEqualTo(2);
        assertThat(entry.get("upstream_ms").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(entry.get("total_ms").asDouble()).isGreaterThanOrEqualTo(entry.get("upstream_ms").asDouble());
        assertThat(entry.get("traceparent").asText()).isEqualTo(response.header("traceparent"));
        assertThat(entry.get("time").asText()).endsWith("Z");
        assertThat(entry.get("completed").asBoolean()).isTrue();
    }

    @Test
    void logsRefusalsWithTheirReason() {
        send("GET /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: wrong-" + KEY + "\r\n\r\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.size() == 1);
        String line = lines.list.get(0).getFormattedMessage();

        assertThat(line).doesNotContain(KEY).contains("\"status\":401").contains("\"decision\":\"unauthorized\"")
                .contains("\"account\":null").contains("\"upstream_ms\":null");
    }

    @Test
    void passesAValidTraceparentUpstreamAndBack() {
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        RawHttp.Response response = send("GET /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY
                + "\r\ntraceparent: " + trace + "\r\ntracestate: vendor=abc\r\n\r\n");

        assertThat(upstream.requests().get(0).all("traceparent")).containsExactly(trace);
        assertThat(upstream.requests().get(0).header("tracestate")).isEqualTo("vendor=abc");
        assertThat(response.all("traceparent")).containsExactly(trace);
    }

    @Test
    void replacesAMissingOrInvalidTraceparentWithANewOne() {
        List<String> invalid = List.of("", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01");
        for (String value : invalid) {
            send("GET /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY + "\r\ntraceparent: " + value
                    + "\r\ntracestate: vendor=abc\r\n\r\n");
        }
        RawHttp.Response none = send("GET /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY
                + "\r\n\r\n");

        List<String> sent = upstream.requests().stream().map(r -> r.header("traceparent"))
                .collect(Collectors.toList());
        assertThat(sent).hasSize(invalid.size() + 1).doesNotHaveDuplicates()
                .allMatch(t -> t.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"));
        assertThat(upstream.requests()).allMatch(r -> r.header("tracestate") == null);
        assertThat(none.header("traceparent")).isEqualTo(sent.get(sent.size() - 1));
    }

    private RawHttp.Response send(String request) {
        try (RawHttp client = RawHttp.connect(server.port())) {
            return client.send(request).read();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
