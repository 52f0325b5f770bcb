package io.ventra.gateway.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ventra.gateway.proxy.testing.GatewayFixture;
import io.ventra.gateway.proxy.testing.RawHttp;
import io.ventra.gateway.proxy.testing.ScriptedUpstream.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One test per resource limit and timeout of the {@code proxy:} section (see docs/proxy-limits.md). */
class LimitsIntegrationTest {
    private static final String PRO = "Host: localhost\r\nX-API-Key: pro-a\r\n";

    private GatewayFixture gateway;

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void answers414ForARequestLineOverMaxInitialLine() throws IOException {
        gateway = GatewayFixture.builder().proxy("max-initial-line: 256").build();
        try (RawHttp raw = gateway.raw()) {
            RawHttp.Response response = raw.send("GET /api/other/" + "a".repeat(300) + " HTTP/1.1\r\n" + PRO + "\r\n")
                    .read();
            assertThat(response.status()).isEqualTo(414);
            assertThat(raw.isClosedByPeer()).isTrue();
        }
        assertThat(gateway.upstream().requests()).isEmpty();
    }

    @Test
    void answers431ForHeadersOverMaxHeaderSize() throws IOException {
        gateway = GatewayFixture.builder().proxy("max-header-size: 1024").build();
        try (RawHttp raw = gateway.raw()) {
            RawHttp.Response response = raw.send("GET /api/other HTTP/1.1\r\n" + PRO + "X-Big: "
                    + "b".repeat(2000) + "\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(431);
            assertThat(raw.isClosedByPeer()).isTrue();
        }
        assertThat(gateway.upstream().requests()).isEmpty();
    }

    @Test
    void answers413UpFrontForADeclaredBodyOverMaxBodySize() throws IOException {
        gateway = GatewayFixture.builder().proxy("max-body-size: 100").build();
        try (RawHttp raw = gateway.raw()) {
            RawHttp.Response response = raw.send("POST /api/other HTTP/1.1\r\n" + PRO + "Content-Length: 101\r\n"
                    + "Expect: 100-continue\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(raw.isClosedByPeer()).isTrue();
        }
        try (RawHttp raw = gateway.raw()) {
            raw.send("POST /api/other HTTP/1.1\r\n" + PRO + "Content-Length: 100\r\n\r\n" + "x".repeat(100));
            assertThat(raw.read().status()).isEqualTo(200);
        }
        assertThat(gateway.upstream().requests()).hasSize(1);
    }

    @Test
    void answers413WhenAChunkedBodyGrowsOverMaxBodySizeAndDropsTheUpstreamConnection() throws IOException {
        gateway = GatewayFixture.builder().proxy("max-body-size: 100").build();
        try (RawHttp raw = gateway.raw()) {
            raw.send("POST /api/other HTTP/1.1\r\n" + PRO + "Transfer-Encoding: chunked\r\n\r\n");
            raw.send("40\r\n" + "x".repeat(64) + "\r\n");
            raw.send("40\r\n" + "y".repeat(64) + "\r\n0\r\n\r\n");
            RawHttp.Response response = raw.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(raw.isClosedByPeer()).isTrue();
        }
        assertThat(gateway.upstream().requests()).isEmpty();
        assertThat(gateway.get("pro-a", "/api/other").statusCode()).isEqualTo(200);
        // The half-sent connection was closed, never reused.
        assertThat(gateway.upstream().connectionsAccepted()).isGreaterThanOrEqualTo(2);
        assertThat(gateway.upstream().malformed()).isEmpty();
    }

    @Test
    void closesAConnectionWhoseHeadIsNotCompleteWithinHeaderReadTimeout() throws IOException {
        // Slowloris: a head trickling in never completes, so the connection is closed, with no answer.
        gateway = GatewayFixture.builder().proxy("header-read-timeout: 300ms, idle-timeout: 30s").build();
        try (RawHttp raw = gateway.raw()) {
            raw.send("GET /api/other HTTP/1.1\r\n" + PRO);
            raw.setTimeout(5000);
            assertThat(raw.isClosedByPeer()).isTrue();
        }
        try (RawHttp silent = gateway.raw()) {
            silent.setTimeout(5000);
            assertThat(silent.isClosedByPeer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.server().openConnections() == 0);
        assertThat(gateway.upstream().requests()).isEmpty();
    }

    @Test
    void closesAKeepAliveConnectionIdleForIdleTimeout() throws IOException {
        gateway = GatewayFixture.builder().proxy("idle-timeout: 300ms, header-read-timeout: 30s").build();
        try (RawHttp raw = gateway.raw()) {
            assertThat(raw.send("GET /api/other HTTP/1.1\r\n" + PRO + "\r\n").read().status()).isEqualTo(200);
            raw.setTimeout(5000);
            assertThat(raw.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void answers502WhenTheUpstreamDoesNotAcceptWithinConnectTimeout() throws IOException {
        // A listener that never accepts, with its accept queue filled, leaves further SYNs unanswered on Linux.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = fillAcceptQueue(full.getLocalPort());
            try {
                gateway = GatewayFixture.builder().proxy("pool-max-connections: 4")
                        .edit(yaml -> yaml.replace("connect-timeout: 1s", "connect-timeout: 300ms")
                                .replace("UPSTREAM", "http://127.0.0.1:" + full.getLocalPort()))
                        .build();
                var response = gateway.get("pro-a", "/api/other");
                assertThat(response.statusCode()).isEqualTo(502);
                assertThat(response.body()).contains("\"status\":502");
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void answers504WhenTheUpstreamDoesNotAnswerWithinResponseTimeout() {
        gateway = GatewayFixture.builder().edit(yaml -> yaml.replace("response-timeout: 2s", "response-timeout: 300ms"))
                .build();
        gateway.upstream().script(r -> Reply.delayed(2000, Reply.ok("late")));
        assertThat(gateway.get("pro-a", "/api/other").statusCode()).isEqualTo(504);
    }

    @Test
    void closesConnectionsOverMaxConnections() throws IOException {
        gateway = GatewayFixture.builder().proxy("max-connections: 2").build();
        try (RawHttp first = gateway.raw(); RawHttp second = gateway.raw()) {
            assertThat(first.send("GET /api/other HTTP/1.1\r\n" + PRO + "\r\n").read().status()).isEqualTo(200);
            assertThat(second.send("GET /api/other HTTP/1.1\r\n" + PRO + "\r\n").read().status()).isEqualTo(200);
            try (RawHttp third = gateway.raw()) {
                assertThat(third.isClosedByPeer()).isTrue();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.server().openConnections() == 0);
        try (RawHttp again = gateway.raw()) {
            assertThat(again.send("GET /api/other HTTP/1.1\r\n" + PRO + "\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void closesTheConnectionAfterMaxRequestsPerConnection() throws IOException {
        gateway = GatewayFixture.builder().proxy("max-requests-per-connection: 3").build();
        try (RawHttp raw = gateway.raw()) {
            for (int i = 1; i <= 3; i++) {
                RawHttp.Response response = raw.send("GET /api/other HTTP/1.1\r\n" + PRO + "\r\n").read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Connection")).as("request " + i).isEqualTo(i < 3 ? null : "close");
            }
            assertThat(raw.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void queuesForAFreeUpstreamConnectionThenAnswers503AfterConnectTimeout() throws Exception {
        gateway = GatewayFixture.builder().proxy("pool-max-connections: 1")
                .edit(yaml -> yaml.replace("server: {", "server: { io-threads: 1,")).build();
        gateway.upstream().script(r -> r.target().endsWith("/slow")
                ? Reply.delayed(1500, Reply.ok("slow")) : Reply.delayed(200, Reply.ok("quick")));

        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(
                () -> gateway.get("pro-a", "/api/other/quick").statusCode());
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.upstream().requests().size() == 1);
        // Waits for the one connection, then reuses it.
        assertThat(gateway.get("pro-b", "/api/other/quick").statusCode()).isEqualTo(200);
        assertThat(first.get()).isEqualTo(200);
        assertThat(gateway.upstream().connectionsAccepted()).isEqualTo(1);

        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(
                () -> gateway.get("pro-a", "/api/other/slow").statusCode());
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.upstream().requests().size() == 3);
        // Waits longer than connect-timeout (1s) for the busy connection.
        var refused = gateway.get("pro-b", "/api/other/quick");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"status\":503");
        assertThat(slow.get()).isEqualTo(200);
    }

    private static List<Socket> fillAcceptQueue(int port) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                sockets.add(socket);
            } catch (SocketTimeoutException e) {
                socket.close();
                return sockets;
            }
        }
        throw new IllegalStateException("The accept queue never filled up");
    }
}
