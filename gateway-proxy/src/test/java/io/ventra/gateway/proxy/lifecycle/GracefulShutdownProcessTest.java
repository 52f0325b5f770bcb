package io.ventra.gateway.proxy.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ventra.gateway.proxy.testing.ConfigFiles;
import io.ventra.gateway.proxy.testing.GatewayFixture;
import io.ventra.gateway.proxy.testing.RawHttp;
import io.ventra.gateway.proxy.testing.ScriptedUpstream;
import io.ventra.gateway.proxy.testing.ScriptedUpstream.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Case C19: SIGTERM to the real gateway process under load. In-flight requests finish, idle keep-alive
 * connections close at once, new requests are refused, readiness flips first, and the process exits 0 as soon as
 * the work is done, well inside its 30 s grace period.
 */
class GracefulShutdownProcessTest {
    private static final String KEY = "c19-pro-key-0001";
    private static final int UPSTREAM_DELAY_MILLIS = 3000;
    private static final int BODY_BYTES = 1 << 20;
    private static final Duration EXIT_BOUND = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ScriptedUpstream upstream;
    private GatewayProcess gateway;

    @BeforeEach
    void start() throws IOException {
        upstream = ScriptedUpstream.start().script(request -> {
            if (request.target().endsWith("/slow")) {
                return Reply.delayed(UPSTREAM_DELAY_MILLIS, Reply.ok("slow-done"));
            }
            return Reply.ok("got " + request.body().length);
        });
        String yaml = GatewayFixture.DEFAULT_YAML.replace("shutdown-grace: 5s", "shutdown-grace: 30s")
                .replace("response-timeout: 2s", "response-timeout: 20s");
        ConfigFiles files = ConfigFiles.in(dir).key(KEY, "c19", "pro").write(yaml, upstream.port());
        gateway = GatewayProcess.start(files.config(), Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    @Test
    void drainsInFlightRequestsClosesIdleConnectionsAndExitsZero() throws Exception {
        try (RawHttp a = RawHttp.connect(gateway.port()); RawHttp b = RawHttp.connect(gateway.port())) {
            a.setTimeout(20_000);
            RawHttp.Response ping = b.send(get("/api/other/ping")).read();
            CompletableFuture<RawHttp.Response> slow = CompletableFuture.supplyAsync(() -> read(a,
                    get("/api/other/slow")));
            await().atMost(Duration.ofSeconds(5)).until(() -> upstream.requests().stream()
                    .anyMatch(r -> r.target().endsWith("/slow")));

            gateway.terminate();

            // Readiness flips first, while A is still in flight; liveness stays up.
            await().atMost(Duration.ofSeconds(2)).until(() -> adminStatus("/health/ready") == 503);
            assertThat(slow).isNotDone();
            assertThat(adminStatus("/health/live")).isEqualTo(200);
            // B's idle keep-alive connection is closed by the gateway.
            b.setTimeout(2000);
            assertThat(b.isClosedByPeer()).isTrue();
            assertRefusedOrUnavailable(b, get("/api/other/again"));
            // C's new connection is refused (or answered 503).
            assertNewConnectionRefused();
            // A gets its whole response, with Connection: close.
            RawHttp.Response response = slow.get(20, TimeUnit.SECONDS);

            assertThat(ping.status()).isEqualTo(200);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("slow-done");
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
        }
        assertExitedCleanly();
        assertThat(gateway.output()).contains("closed 1 idle connections").contains("waiting up to 30000 ms for 1 "
                + "connections with requests in flight").contains("every in-flight request finished");
    }

    @Test
    void finishesAOneMegabyteUploadThatIsStillArrivingAtSigterm() throws Exception {
        byte[] body = new byte[BODY_BYTES];
        Arrays.fill(body, (byte) 'x');
        try (RawHttp a = RawHttp.connect(gateway.port())) {
            a.setTimeout(20_000);
            a.send("POST /api/other/upload HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + BODY_BYTES + "\r\n\r\n");
            a.send(Arrays.copyOf(body, BODY_BYTES / 2));
            await().atMost(Duration.ofSeconds(5)).until(() -> metric("ventra_requests_in_flight") == 1);

            gateway.terminate();
            await().atMost(Duration.ofSeconds(2)).until(() -> adminStatus("/health/ready") == 503);
            a.send(Arrays.copyOfRange(body, BODY_BYTES / 2, BODY_BYTES));
            RawHttp.Response response = a.read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("got " + BODY_BYTES);
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
        }
        assertExitedCleanly();
    }

    private void assertExitedCleanly() throws InterruptedException {
        // Bounded well below the 30 s grace: the gateway exits when the work is done, not when grace runs out.
        assertThat(gateway.awaitExit(EXIT_BOUND)).as(gateway.output()).isZero();
        List<String> lines = gateway.lines();
        int previous = -1;
        for (int phase = 1; phase <= 5; phase++) {
            // The JSON encoder escapes the slash in "1/5", so match the phase number only.
            String mark = "Shutdown phase " + phase;
            int index = indexOf(lines, mark);
            assertThat(index).as(mark + " in\n" + gateway.output()).isGreaterThan(previous);
            previous = index;
        }
        assertThat(gateway.output()).doesNotContain("\"level\":\"ERROR\"").doesNotContain("Exception");
    }

    private void assertRefusedOrUnavailable(RawHttp client, String request) {
        try {
            RawHttp.Response response = client.send(request).read();
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
        } catch (IOException closed) {
            // Not read at all: the connection was closed before the request, which is allowed.
        }
    }

    private void assertNewConnectionRefused() {
        try (RawHttp c = RawHttp.connect(gateway.port())) {
            assertRefusedOrUnavailable(c, get("/api/other/new"));
        } catch (IOException refused) {
            // Connection refused: the listener is closed.
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY + "\r\n\r\n";
    }

    private static RawHttp.Response read(RawHttp client, String request) {
        try {
            return client.send(request).read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int adminStatus(String path) {
        try {
            return http.send(HttpRequest.newBuilder(adminUri(path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private double metric(String name) throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(adminUri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        return -1;
    }

    private URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.adminPort() + path);
    }

    private static int indexOf(List<String> lines, String mark) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(mark)) {
                return i;
            }
        }
        return -1;
    }
}
