package io.ventra.gateway.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.proxy.testing.GatewayFixture;
import io.ventra.gateway.proxy.testing.RawHttp;
import io.ventra.gateway.proxy.testing.ScriptedUpstream.Recorded;
import io.ventra.gateway.proxy.testing.ScriptedUpstream.Reply;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the gateway sends upstream and back: forwarding headers, hop-by-hop removal, framing, errors. */
class ForwardingIntegrationTest {
    private static final String PRO = "X-API-Key: pro-a\r\n";

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
    void forwardsTheTargetByteForByteWithForwardingHeaders() throws IOException {
        try (RawHttp raw = gateway.raw()) {
            RawHttp.Response response = raw.send("GET /api/other/a%7Eb%20c?q=1&x=%20 HTTP/1.1\r\nHost: example.test\r\n"
                    + PRO + "X-Forwarded-For: 10.9.9.9\r\nX-Request-Id: abc-123\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("X-Request-Id")).isEqualTo("abc-123");
        }
        Recorded received = gateway.upstream().requests().get(0);
        assertThat(received.target()).isEqualTo("/api/other/a%7Eb%20c?q=1&x=%20");
        // Case C14, step 4: the real peer is appended, the client's value is kept in front of it.
        assertThat(received.header("X-Forwarded-For")).isEqualTo("10.9.9.9, 127.0.0.1");
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(received.header("X-Forwarded-Host")).isEqualTo("example.test");
        assertThat(received.header("X-Request-Id")).isEqualTo("abc-123");
    }

    @Test
    void generatesARequestIdWhenTheClientSentNoneOrAnInvalidOne() {
        HttpResponse<String> response = gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/api/other"))
                .header("X-API-Key", "pro-a").header("X-Request-Id", "bad id <script>").build());

        String id = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(gateway.upstream().requests().get(0).header("X-Request-Id")).isEqualTo(id);
    }

    @Test
    void removesHopByHopHeadersInBothDirections() throws IOException {
        // Case C03.
        gateway.upstream().script(r -> Reply.raw("HTTP/1.1 200 OK\r\nConnection: X-Upstream-Secret\r\n"
                + "X-Upstream-Secret: s3\r\nKeep-Alive: timeout=99\r\nX-Public: ok\r\nContent-Length: 2\r\n\r\nok"));
        RawHttp.Response response;
        try (RawHttp raw = gateway.raw()) {
            response = raw.send("GET /api/other HTTP/1.1\r\nHost: localhost\r\n" + PRO
                    + "Connection: keep-alive, X-Internal-Trace, X-Drop-Me\r\nX-Internal-Trace: abc\r\n"
                    + "X-Drop-Me: 1\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\n"
                    + "Proxy-Authorization: Basic dGVzdDp0ZXN0\r\nTE: trailers\r\nUpgrade: h2c\r\n"
                    + "X-Keep-Me: yes\r\n\r\n").read();
            raw.send("GET /api/other HTTP/1.1\r\nHost: localhost\r\n" + PRO
                    + "Connection: close, X-Forwarded-For, X-Forwarded-Proto\r\n\r\n").read();
        }
        Recorded first = gateway.upstream().requests().get(0);
        for (String dropped : Arrays.asList("X-Internal-Trace", "X-Drop-Me", "Keep-Alive", "Proxy-Connection",
                "Proxy-Authorization", "TE", "Upgrade")) {
            assertThat(first.all(dropped)).as(dropped).isEmpty();
        }
        assertThat(first.all("Connection")).noneMatch(v -> v.contains("X-Internal-Trace"));
        assertThat(first.header("X-Keep-Me")).isEqualTo("yes");
        assertThat(response.header("X-Public")).isEqualTo("ok");
        assertThat(response.all("X-Upstream-Secret")).isEmpty();
        assertThat(response.all("Keep-Alive")).isEmpty();
        Recorded second = gateway.upstream().requests().get(1);
        assertThat(second.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(second.header("X-Forwarded-Proto")).isEqualTo("http");
    }

    @Test
    void relaysChunkedAndLengthFramedResponsesExactlyOnKeepAlive() throws IOException {
        // Case C04.
        gateway.upstream().script(r -> r.target().endsWith("/chunked")
                ? Reply.parts(20, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "5\r\nhello\r\n",
                        "1\r\n \r\n", "5\r\nworld\r\n0\r\n\r\n")
                : r.target().endsWith("/length") ? Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world")
                : Reply.ok("pong"));
        try (RawHttp raw = gateway.raw()) {
            RawHttp.Response chunked = raw.send(get("/api/other/chunked")).read();
            RawHttp.Response ping1 = raw.send(get("/api/other/ping")).read();
            RawHttp.Response length = raw.send(get("/api/other/length")).read();
            RawHttp.Response ping2 = raw.send(get("/api/other/ping")).read();

            assertThat(chunked.all("Transfer-Encoding")).containsExactly("chunked");
            assertThat(chunked.all("Content-Length")).isEmpty();
            assertThat(chunked.bodyText()).isEqualTo("hello world");
            assertThat(length.all("Content-Length")).containsExactly("11");
            assertThat(length.all("Transfer-Encoding")).isEmpty();
            assertThat(length.bodyText()).isEqualTo("hello world");
            assertThat(ping1.bodyText()).isEqualTo("pong");
            assertThat(ping2.bodyText()).isEqualTo("pong");
        }
    }

    @Test
    void bodilessResponsesCompleteAtTheirBlankLine() throws IOException {
        // Case C06.
        gateway.upstream().script(r -> r.target().endsWith("/etag")
                ? Reply.raw("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 1234\r\n\r\n")
                : r.target().endsWith("/empty") ? Reply.raw("HTTP/1.1 204 No Content\r\n\r\n")
                : r.target().endsWith("/reset") ? Reply.raw("HTTP/1.1 205 Reset Content\r\nContent-Length: 0\r\n\r\n")
                : Reply.ok("pong"));
        try (RawHttp raw = gateway.raw()) {
            raw.setTimeout(1000);
            RawHttp.Response etag = raw.send("GET /api/other/etag HTTP/1.1\r\nHost: localhost\r\n" + PRO
                    + "If-None-Match: \"v1\"\r\n\r\n").read();
            RawHttp.Response empty = raw.send(get("/api/other/empty")).read();
            RawHttp.Response reset = raw.send("PUT /api/other/reset HTTP/1.1\r\nHost: localhost\r\n" + PRO
                    + "Content-Length: 0\r\n\r\n").read();
            RawHttp.Response ping = raw.send(get("/api/other/ping")).read();

            assertThat(etag.status()).isEqualTo(304);
            assertThat(etag.all("Transfer-Encoding")).isEmpty();
            assertThat(empty.status()).isEqualTo(204);
            assertThat(empty.all("Transfer-Encoding")).isEmpty();
            assertThat(reset.status()).isEqualTo(205);
            assertThat(ping.status()).isEqualTo(200);
            assertThat(ping.bodyText()).isEqualTo("pong");
        }
    }

    @Test
    void streamsRequestBodiesUpstream() throws IOException {
        byte[] body = new byte[200_000];
        Arrays.fill(body, (byte) 'x');
        try (RawHttp raw = gateway.raw()) {
            raw.send("POST /api/other/upload HTTP/1.1\r\nHost: localhost\r\n" + PRO + "Content-Length: "
                    + body.length + "\r\n\r\n");
            raw.send(body);
            assertThat(raw.read().status()).isEqualTo(200);
            raw.send("POST /api/other/chunked HTTP/1.1\r\nHost: localhost\r\n" + PRO
                    + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
        }
        assertThat(gateway.upstream().requests().get(0).body()).hasSize(body.length);
        assertThat(gateway.upstream().requests().get(1).body()).isEqualTo("abcde".getBytes(StandardCharsets.UTF_8));
        assertThat(gateway.upstream().requests().get(1).header("Transfer-Encoding")).isEqualTo("chunked");
    }

    @Test
    void expectContinueGetsContinueWhenAllowedAndNoContinueWhenRefused() throws IOException {
        // Case C05, steps 1 and 2.
        try (RawHttp raw = gateway.raw()) {
            raw.send("POST /api/other/upload HTTP/1.1\r\nHost: localhost\r\n" + PRO
                    + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(100);
            raw.send("hello");
            assertThat(raw.read().status()).isEqualTo(200);
        }
        for (int i = 0; i < 30; i++) {
            gateway.get("free-c", "/api/other");
        }
        try (RawHttp raw = gateway.raw()) {
            raw.send("POST /api/other/upload HTTP/1.1\r\nHost: localhost\r\nX-API-Key: free-c\r\n"
                    + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response refused = raw.read();
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Connection")).isEqualTo("close");
        }
        assertThat(gateway.upstream().requests()).hasSize(31);
        assertThat(gateway.upstream().requests().get(0).bodyText()).isEqualTo("hello");
    }

    @Test
    void rejectsAmbiguousFramingWithoutForwardingOrChargingTokens() throws IOException {
        // Case C01.
        String[] requests = {
            "POST /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: free-d\r\nContent-Length: 5\r\n"
                    + "Content-Length: 6\r\n\r\nhello!",
            "POST /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: free-d\r\nContent-Length: 4\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                    + "GET /api/other/smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "POST /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: free-d\r\n"
                    + "Transfer-Encoding: chunked, something\r\nContent-Length: 1\r\n\r\n0",
            "POST /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: free-d\r\nTransfer-Encoding: foo\r\n\r\n",
            "POST /api/other HTTP/1.0\r\nHost: localhost\r\nX-API-Key: free-d\r\nContent-Length: 4\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                    + "GET /api/other/smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n",
        };
        for (String request : requests) {
            try (RawHttp raw = gateway.raw()) {
                RawHttp.Response response = raw.send(request).read();
                assertThat(response.status()).as(request).isIn(400, 501);
                assertThat(raw.isClosedByPeer()).as(request).isTrue();
            }
        }
        assertThat(gateway.upstream().requests()).isEmpty();
        HttpResponse<String> after = gateway.get("free-d", "/api/other");
        assertThat(after.headers().firstValue("X-RateLimit-Remaining")).hasValue("29");
    }

    @Test
    void answers502WhenTheUpstreamIsDownAnd504WhenItIsTooSlow() throws IOException {
        gateway.upstream().script(r -> Reply.delayed(4000, Reply.ok("late")));
        HttpResponse<String> slow = gateway.get("pro-a", "/api/other");
        assertThat(slow.statusCode()).isEqualTo(504);
        assertThat(slow.body()).contains("\"status\":504");

        gateway.upstream().close();
        HttpResponse<String> down = gateway.get("pro-a", "/api/other");
        assertThat(down.statusCode()).isEqualTo(502);
        assertThat(down.body()).contains("\"status\":502");
    }

    @Test
    void reusesUpstreamConnectionsAndRetriesOnceWhenAPooledOneWasClosed() throws IOException {
        for (int i = 0; i < 5; i++) {
            assertThat(gateway.get("pro-a", "/api/other").statusCode()).isEqualTo(200);
        }
        assertThat(gateway.upstream().connectionsAccepted()).isEqualTo(1);

        gateway.upstream().closeConnections();
        assertThat(gateway.get("pro-a", "/api/other").statusCode()).isEqualTo(200);
    }

    @Test
    void answers404ForUnroutedPaths() {
        HttpResponse<String> response = gateway.get("pro-a", "/elsewhere");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"status\":404").doesNotContain("/elsewhere");
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + PRO + "\r\n";
    }
}
