package io.ventra.gateway.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.proxy.testing.GatewayFixture;
import io.ventra.gateway.proxy.testing.RawHttp;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Property: every request derived from a valid one by mutations that each break RFC 9112 gets a 4xx from the
 * gateway itself (never a 5xx, never silence), nothing reaches the upstream, and the gateway keeps serving.
 * The mutations are random but seeded, so a failure names its seed and input and can be replayed.
 */
class MalformedRequestIntegrationTest {
    private static final long SEED = 0x5eed_4a11L;
    private static final int CASES = 400;
    private static final String VALID = "POST /api/other/p?q=1 HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ent-a\r\n"
            + "Content-Length: 5\r\nX-Custom: value\r\n\r\nhello";

    /** Each mutation turns any head (valid or already broken) into an invalid one. */
    private static final List<BiFunction<String, Random, String>> MUTATIONS = List.of(
            (r, random) -> insertInHead(r, random, (char) (int) pick(random, 0, 1, 2, 8, 11, 12, 14, 27, 31, 127)),
            (r, random) -> replaceOneLineEnd(r, random, "\n"),
            (r, random) -> replaceOneLineEnd(r, random, "\r"),
            (r, random) -> addHeader(r, "X-Folded: a\r\n b"),
            (r, random) -> addHeader(r, "X-Folded: a\r\n\tb"),
            (r, random) -> addHeader(r, "Content-Length: " + (6 + random.nextInt(9))),
            (r, random) -> addHeader(r, "Transfer-Encoding: chunked"),
            (r, random) -> addHeader(r, "Transfer-Encoding: " + pick(random, "chunked, gzip", "foo", "chunked;x")),
            (r, random) -> addHeader(r, "X-Space : 1"),
            (r, random) -> addHeader(r, "No-Colon-Here"),
            (r, random) -> addHeader(r, ": empty-name"),
            (r, random) -> addHeader(r, "X-Big: " + "x".repeat(20_000)),
            (r, random) -> r.replace(" HTTP/1.1\r\n", " " + pick(random, "HTTP/1.1x", "HTTX/1.1", "HTTP/11", "http/1.1",
                    "HTTP/1.1 ", "HTTP/", "") + "\r\n"),
            (r, random) -> r.replaceFirst("/api/other/p", "/api/other/" + pick(random, "%", "%4", "%zz", "%G1",
                    "a b", "a\u00ff", "x#y", "a\"b", "<x>")),
            (r, random) -> r.replaceFirst("/api/other/p", "/api/" + "a".repeat(9000)),
            (r, random) -> r.replaceFirst("POST /", pick(random, "POST  /", " POST /", "POST\t/", "PO(ST /",
                    "POST http://x/")),
            (r, random) -> r.replaceFirst("Content-Length: 5", "Content-Length: " + pick(random, "-5", "+5", "5, 5",
                    "0x5", "5 5", "99999999999999999999")),
            (r, random) -> r.replaceFirst("Host: localhost\r\n", pick(random, "", "Host: a\r\nHost: b\r\n")));

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
    void mutatedRequestsGetA4xxAreNeverForwardedAndTheGatewayStaysUp() throws IOException {
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            String request = VALID;
            int rounds = 1 + random.nextInt(3);
            for (int j = 0; j < rounds; j++) {
                request = MUTATIONS.get(random.nextInt(MUTATIONS.size())).apply(request, random);
            }
            String shown = "case " + i + " (seed " + SEED + "): " + printable(request);
            try (RawHttp raw = gateway.raw()) {
                RawHttp.Response response;
                try {
                    response = raw.send(request).read();
                } catch (IOException e) {
                    throw new AssertionError("No answer to " + shown, e);
                }
                assertThat(response.status()).as(shown).isBetween(400, 499);
                assertThat(raw.isClosedByPeer()).as(shown).isTrue();
            }
        }
        assertThat(gateway.upstream().requests()).isEmpty();
        assertThat(gateway.upstream().rawReceived()).isEmpty();
        assertThat(gateway.get("pro-a", "/api/other").statusCode()).isEqualTo(200);
    }

    private static String insertInHead(String request, Random random, char c) {
        int end = request.indexOf("\r\n\r\n");
        int at = end < 0 ? random.nextInt(request.length()) : random.nextInt(end + 2);
        return request.substring(0, at) + c + request.substring(at);
    }

    private static String replaceOneLineEnd(String request, Random random, String with) {
        int end = request.indexOf("\r\n\r\n");
        int lines = end < 0 ? 1 : request.substring(0, end + 2).split("\r\n", -1).length - 1;
        int target = random.nextInt(Math.max(1, lines));
        int at = -2;
        for (int i = 0; i <= target; i++) {
            at = request.indexOf("\r\n", at + 2);
        }
        return at < 0 ? request + with : request.substring(0, at) + with + request.substring(at + 2);
    }

    private static String addHeader(String request, String header) {
        int at = request.indexOf("\r\n") + 2;
        return request.substring(0, at) + header + "\r\n" + request.substring(at);
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String printable(String request) {
        String shown = request.length() > 300 ? request.substring(0, 300) + "…" : request;
        StringBuilder out = new StringBuilder();
        for (char c : shown.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return out.toString();
    }
}
