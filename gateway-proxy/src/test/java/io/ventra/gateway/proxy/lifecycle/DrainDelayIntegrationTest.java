package io.ventra.gateway.proxy.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ventra.gateway.proxy.testing.GatewayFixture;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code server.drain-delay}: readiness turns 503 at once, but the gateway keeps serving during the delay. */
class DrainDelayIntegrationTest {
    private GatewayFixture gateway;

    @BeforeEach
    void start() {
        gateway = GatewayFixture.builder()
                .edit(yaml -> yaml.replace("shutdown-grace: 5s", "shutdown-grace: 5s, drain-delay: 2s"))
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
    }

    @Test
    void servesNewConnectionsDuringTheDrainDelayWhileReadinessIsDown() throws Exception {
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(
                () -> gateway.server().stop(Duration.ofSeconds(5)));

        await().atMost(Duration.ofSeconds(1)).until(() -> gateway.server().isShuttingDown());
        int ready = gateway.admin("/health/ready").statusCode();
        int live = gateway.admin("/health/live").statusCode();
        int served = gateway.get("pro-a", "/api/other").statusCode();
        boolean stillDelaying = !stopping.isDone();
        stopping.get(10, TimeUnit.SECONDS);

        assertThat(gateway.server().config().server().drainDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(ready).isEqualTo(503);
        assertThat(live).isEqualTo(200);
        assertThat(served).isEqualTo(200);
        assertThat(stillDelaying).isTrue();
    }
}
