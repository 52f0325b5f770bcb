package io.ventra.gateway.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.proxy.testing.GatewayFixture;
import io.ventra.gateway.proxy.testing.RawHttp;
import io.ventra.gateway.proxy.testing.ScriptedUpstream.Recorded;
import io.ventra.gateway.proxy.testing.ScriptedUpstream.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebSocket upgrades: limited like any request, then piped raw both ways, and closed with 1001 on shutdown. */
class WebSocketIntegrationTest {
    private static final String SWITCH = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

    private GatewayFixture gateway;

    @BeforeEach
    void start() {
        gateway = GatewayFixture.start();
        gateway.upstream().script(r -> r.target().endsWith("/ws") ? Reply.upgrade(SWITCH) : Reply.ok("ok"));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
    }

    @Test
    void pipesFramesBothWaysAndSendsGoingAwayOnShutdown() throws Exception {
        try (RawHttp raw = gateway.raw()) {
            RawHttp.Response switched = raw.send(upgrade("pro-a")).read();
            assertThat(switched.status()).isEqualTo(101);
            assertThat(switched.header("Upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(switched.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

            byte[] frame = maskedText("hello");
            raw.send(frame);
            assertThat(raw.readBytes(frame.length)).isEqualTo(frame);

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(
                    () -> gateway.server().stop(Duration.ZERO, Duration.ofSeconds(5)));
            raw.setTimeout(10_000);
            assertThat(raw.readBytes(4)).containsExactly(0x88, 0x02, 0x03, 0xe9);
            assertThat(raw.isClosedByPeer()).isTrue();
            stopped.get();
        }
        Recorded request = gateway.upstream().requests().get(0);
        assertThat(request.header("Upgrade")).isEqualToIgnoringCase("websocket");
        assertThat(request.header("Connection")).isEqualToIgnoringCase("upgrade");
        assertThat(request.header("Sec-WebSocket-Key")).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
        // The upstream got the client's frame and then the gateway's own masked close frame.
        String raw = gateway.upstream().rawReceived();
        assertThat(raw).contains(new String(maskedText("hello"), StandardCharsets.ISO_8859_1));
        assertThat(raw.charAt(raw.length() - 8)).isEqualTo((char) 0x88);
    }

    @Test
    void upgradesAreRateLimitedLikeAnyRequest() throws IOException {
        for (int i = 0; i < 30; i++) {
            gateway.get("free-w", "/api/other");
        }
        try (RawHttp raw = gateway.raw()) {
            RawHttp.Response refused = raw.send(upgrade("free-w")).read();
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.all("Upgrade")).isEmpty();
        }
        assertThat(gateway.upstream().requests()).noneMatch(r -> r.target().endsWith("/ws"));
    }

    @Test
    void upgradeToAnythingButWebSocketIsNotForwarded() throws IOException {
        try (RawHttp raw = gateway.raw()) {
            RawHttp.Response response = raw.send("GET /api/other/h2 HTTP/1.1\r\nHost: localhost\r\nX-API-Key: pro-a\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                    + "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
        }
        Recorded request = gateway.upstream().requests().get(0);
        assertThat(request.all("Upgrade")).isEmpty();
        assertThat(request.all("HTTP2-Settings")).isEmpty();
    }

    private static String upgrade(String key) {
        return "GET /api/other/ws HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
    }

    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {0x37, (byte) 0xfa, 0x21, 0x3d};
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }
}
