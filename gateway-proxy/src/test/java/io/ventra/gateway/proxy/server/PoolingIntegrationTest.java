package io.ventra.gateway.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.proxy.testing.GatewayFixture;
import io.ventra.gateway.proxy.testing.RawHttp;
import io.ventra.gateway.proxy.testing.ScriptedUpstream.Reply;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Early upstream answers and the pool: a half-written upstream connection is never reused (C05, C07). */
class PoolingIntegrationTest {
    private GatewayFixture gateway;

    @BeforeEach
    void start() {
        // One event loop and one upstream connection, so that every request would reuse it if allowed.
        gateway = GatewayFixture.builder().proxy("pool-max-connections: 1")
                .edit(yaml -> yaml.replace("server: {", "server: { io-threads: 1,")).build();
        gateway.upstream().earlyScript(head -> head.target().endsWith("/reject-early")
                || head.target().endsWith("/upload-too-big")
                ? Reply.raw("HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n") : null);
        gateway.upstream().script(r -> Reply.ok("pong"));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
    }

    @Test
    void earlyAnswerClosesTheHalfWrittenUpstreamConnectionAndOthersSucceed() throws Exception {
        // Case C07.
        try (RawHttp a = gateway.raw()) {
            a.send("POST /api/other/reject-early HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-a\r\n"
                    + "Content-Length: 10485760\r\n\r\n");
            byte[] chunk = new byte[64 * 1024];
            a.send(chunk);
            RawHttp.Response rejected = a.read();
            assertThat(rejected.status()).isEqualTo(413);
            assertThat(rejected.header("Connection")).isEqualTo("close");

            List<CompletableFuture<HttpResponse<String>>> others = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                others.add(CompletableFuture.supplyAsync(() -> gateway.get("pro-b", "/api/other/ping")));
            }
            for (CompletableFuture<HttpResponse<String>> other : others) {
                assertThat(other.get().statusCode()).isEqualTo(200);
                assertThat(other.get().body()).isEqualTo("pong");
            }
            // Towards A the gateway closes rather than reading 10 MB.
            a.setTimeout(5000);
            assertThat(a.isClosedByPeer()).isTrue();
        }
        assertThat(gateway.upstream().malformed()).isEmpty();
        assertThat(gateway.upstream().requests()).extracting(r -> r.target())
                .containsOnly("/api/other/reject-early", "/api/other/ping");
        assertThat(gateway.upstream().connectionsAccepted()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void expectContinueUploadRejectedEarlyByTheUpstreamGets413Promptly() throws IOException {
        // Case C05, step 3.
        try (RawHttp raw = gateway.raw()) {
            raw.send("POST /api/other/upload-too-big HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-a\r\n"
                    + "Content-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(100);
            raw.send(new byte[1000]);
            RawHttp.Response response = raw.read();
            assertThat(response.status()).isEqualTo(413);
        }
        assertThat(gateway.get("pro-a", "/api/other/ping").body()).isEqualTo("pong");
        assertThat(gateway.upstream().malformed()).isEmpty();
    }

    @Test
    void aCompleteExchangeKeepsItsConnectionPooled() {
        for (int i = 0; i < 5; i++) {
            assertThat(gateway.get("pro-a", "/api/other/ping").statusCode()).isEqualTo(200);
        }
        assertThat(gateway.upstream().connectionsAccepted()).isEqualTo(1);
    }
}
