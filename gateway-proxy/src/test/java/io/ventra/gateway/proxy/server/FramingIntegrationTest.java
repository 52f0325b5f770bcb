package io.ventra.gateway.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.proxy.testing.GatewayFixture;
import io.ventra.gateway.proxy.testing.RawHttp;
import io.ventra.gateway.proxy.testing.ScriptedUpstream.Reply;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9112 strictness on raw sockets: what Netty's decoder rejects with our settings, what
 * {@link StrictRequestDecoder} adds, and upstream responses held to the same rules (case C01, its whole kind).
 */
class FramingIntegrationTest {
    private static final String HEAD = "GET /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: free-f\r\n";

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
    void rejectsMalformedHeadsWith400AndClosesWithoutForwardingOrCharging() throws IOException {
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("space before colon", HEAD + "X-A : 1\r\n\r\n");
        requests.put("space inside a name", HEAD + "X A: 1\r\n\r\n");
        requests.put("control byte in a name", HEAD + "X\u0001A: 1\r\n\r\n");
        requests.put("obs-fold with a space", HEAD + "X-A: 1\r\n continued\r\n\r\n");
        requests.put("obs-fold with a tab", HEAD + "X-A: 1\r\n\tcontinued\r\n\r\n");
        requests.put("whitespace before the first header", "GET /api/other HTTP/1.1\r\n Host: localhost\r\n"
                + "X-API-Key: free-f\r\n\r\n");
        requests.put("bare LF ending the head", "GET /api/other HTTP/1.1\nHost: localhost\nX-API-Key: free-f\n\n");
        requests.put("bare LF between headers", HEAD + "X-A: 1\nX-B: 2\r\n\r\n");
        requests.put("bare CR between headers", HEAD + "X-A: 1\rX-B: 2\r\n\r\n");
        requests.put("NUL in a value", HEAD + "X-A: a\u0000b\r\n\r\n");
        requests.put("control byte in a value", HEAD + "X-A: a\u0001b\r\n\r\n");
        requests.put("DEL in a value", HEAD + "X-A: a\u007fb\r\n\r\n");
        requests.put("bad percent escape", "GET /api/other/%zz HTTP/1.1\r\nHost: localhost\r\n"
                + "X-API-Key: free-f\r\n\r\n");
        requests.put("truncated percent escape", "GET /api/other/%4 HTTP/1.1\r\nHost: localhost\r\n"
                + "X-API-Key: free-f\r\n\r\n");
        requests.put("control byte in the target", "GET /api/oth\u0001er HTTP/1.1\r\nHost: localhost\r\n"
                + "X-API-Key: free-f\r\n\r\n");
        requests.put("non-ASCII in the target", "GET /api/oth\u00e9r HTTP/1.1\r\nHost: localhost\r\n"
                + "X-API-Key: free-f\r\n\r\n");
        requests.put("absolute-form target", "GET http://localhost/api/other HTTP/1.1\r\nHost: localhost\r\n"
                + "X-API-Key: free-f\r\n\r\n");
        requests.put("two spaces in the request line", "GET  /api/other HTTP/1.1\r\nHost: localhost\r\n"
                + "X-API-Key: free-f\r\n\r\n");
        requests.put("tab in the request line", "GET\t/api/other HTTP/1.1\r\nHost: localhost\r\n"
                + "X-API-Key: free-f\r\n\r\n");
        requests.put("lower-case version", "GET /api/other http/1.1\r\nHost: localhost\r\nX-API-Key: free-f\r\n\r\n");
        requests.put("garbage version", "GET /api/other HTTP/1.x\r\nHost: localhost\r\nX-API-Key: free-f\r\n\r\n");
        requests.put("no Host", "GET /api/other HTTP/1.1\r\nX-API-Key: free-f\r\n\r\n");
        requests.put("two Hosts", HEAD + "Host: other\r\n\r\n");
        requests.put("signed Content-Length", HEAD + "Content-Length: +3\r\n\r\nabc");
        requests.put("list Content-Length", HEAD + "Content-Length: 3, 3\r\n\r\nabc");
        requests.put("coding before chunked", HEAD + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");

        for (Map.Entry<String, String> request : requests.entrySet()) {
            try (RawHttp raw = gateway.raw()) {
                RawHttp.Response response = readOrFail(raw.send(request.getValue()), request.getKey());
                assertThat(response.status()).as(request.getKey()).isEqualTo(400);
                assertThat(response.header("Connection")).as(request.getKey()).isEqualTo("close");
                assertThat(response.bodyText()).as(request.getKey()).contains("\"status\":400");
                assertThat(raw.isClosedByPeer()).as(request.getKey()).isTrue();
            }
        }
        assertThat(gateway.upstream().requests()).isEmpty();
        HttpResponse<String> after = gateway.get("free-f", "/api/other");
        assertThat(after.headers().firstValue("X-RateLimit-Remaining")).hasValue("29");
    }

    @Test
    void brokenChunkedBodiesGet400AndNeverCompleteUpstream() throws IOException {
        // The head is sound, so the request was admitted (and charged) and its head streamed upstream before the
        // body went wrong; the upstream connection is then dropped mid-body, so no complete request arrives.
        String post = "POST /api/other HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-a\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n";
        for (String body : new String[] {"zz\r\n", "3\r\nabcX0\r\n\r\n", "3\nabc\r\n0\r\n\r\n"}) {
            try (RawHttp raw = gateway.raw()) {
                RawHttp.Response response = raw.send(post + body).read();
                assertThat(response.status()).as(body).isEqualTo(400);
                assertThat(raw.isClosedByPeer()).as(body).isTrue();
            }
        }
        assertThat(gateway.upstream().requests()).isEmpty();
        assertThat(gateway.upstream().malformed()).isEmpty();
    }

    @Test
    void answers505ForOtherHttpVersions() throws IOException {
        for (String version : new String[] {"HTTP/2.0", "HTTP/1.2", "HTTP/0.9"}) {
            try (RawHttp raw = gateway.raw()) {
                RawHttp.Response response = raw.send("GET /api/other " + version + "\r\nHost: localhost\r\n"
                        + "X-API-Key: free-f\r\n\r\n").read();
                assertThat(response.status()).as(version).isEqualTo(505);
                assertThat(raw.isClosedByPeer()).as(version).isTrue();
            }
        }
        assertThat(gateway.upstream().requests()).isEmpty();
    }

    @Test
    void acceptsWhatTheRfcAllows() throws IOException {
        try (RawHttp raw = gateway.raw()) {
            // An empty line before the request line, obs-text in a value, an encoded percent sign, sub-delims and a
            // query with characters outside the path set.
            RawHttp.Response response = raw.send("\r\nGET /api/other/a%25b;v=1,2@x:y?q=[1]|{2} HTTP/1.1\r\n"
                    + "Host: localhost\r\nX-API-Key: pro-a\r\nX-Name: caf\u00e9\r\nX-Tab:\tv\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            RawHttp.Response options = raw.send("OPTIONS * HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-a\r\n\r\n")
                    .read();
            // Not routable, so refused, but by the router and not as malformed framing.
            assertThat(options.status()).isLessThan(500);
        }
        assertThat(gateway.upstream().requests().get(0).target()).isEqualTo("/api/other/a%25b;v=1,2@x:y?q=[1]|{2}");
    }

    @Test
    void pipelinedRequestsAreEachCheckedAndAnswered() throws IOException {
        try (RawHttp raw = gateway.raw()) {
            raw.send(HEAD.replace("free-f", "pro-a") + "\r\n" + HEAD.replace("free-f", "pro-a")
                    + "X-A: 1\r\n folded\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
            assertThat(raw.read().status()).isEqualTo(400);
            assertThat(raw.isClosedByPeer()).isTrue();
        }
        assertThat(gateway.upstream().requests()).hasSize(1);
    }

    @Test
    void pipelinedRequestsWithBodiesAreForwardedInOrder() throws IOException {
        String post = "POST /api/other/p HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-a\r\nContent-Length: 3\r\n\r\n";
        try (RawHttp raw = gateway.raw()) {
            raw.send(post + "abc" + post + "def" + HEAD.replace("free-f", "pro-a") + "\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
            assertThat(raw.read().status()).isEqualTo(200);
            assertThat(raw.read().status()).isEqualTo(200);
        }
        assertThat(gateway.upstream().requests()).extracting(r -> r.bodyText()).containsExactly("abc", "def", "");
    }

    @Test
    void invalidUpstreamResponsesBecome502AndAreNeverRelayed() throws IOException {
        Map<String, String> responses = new LinkedHashMap<>();
        responses.put("two lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok");
        responses.put("length and chunked", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n"
                + "\r\n2\r\nok\r\n0\r\n\r\n");
        responses.put("unknown coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nok");
        responses.put("control byte in a value", "HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\nContent-Length: 2\r\n\r\nok");
        responses.put("bare LF", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok");
        responses.put("garbage status line", "HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nok");
        responses.put("HTTP/2 status line", "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
        responses.put("signed length", "HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\nok");

        for (Map.Entry<String, String> response : responses.entrySet()) {
            gateway.upstream().script(r -> Reply.raw(response.getValue()));
            try (RawHttp raw = gateway.raw()) {
                RawHttp.Response got = raw.send(HEAD.replace("free-f", "pro-a") + "\r\n").read();
                assertThat(got.status()).as(response.getKey()).isEqualTo(502);
                assertThat(got.bodyText()).as(response.getKey()).contains("\"status\":502").doesNotContain("ok\"");
                assertThat(got.all("X-A")).as(response.getKey()).isEmpty();
            }
        }
        // The gateway still serves good responses afterwards, on fresh upstream connections.
        gateway.upstream().script(r -> Reply.ok("fine"));
        assertThat(gateway.get("pro-a", "/api/other").body()).isEqualTo("fine");
    }

    private static RawHttp.Response readOrFail(RawHttp raw, String what) throws IOException {
        try {
            return raw.read();
        } catch (IOException e) {
            throw new IOException(what + ": " + e.getMessage(), e);
        }
    }
}
