package io.ventra.gateway.proxy.testing;

import io.ventra.gateway.core.config.ConfigLoader;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.identity.ApiKeys;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.store.BucketStore;
import io.ventra.gateway.core.store.MemoryBucketStore;
import io.ventra.gateway.proxy.server.GatewayServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs a real gateway on free loopback ports in front of a {@link ScriptedUpstream}, with the test config of
 * the cases (routes {@code /api/other/**}, {@code /api/discovery/**}, {@code /api/sourcing/**}; Free 30/min,
 * Pro 120/min, Enterprise unlimited; Discovery 5/min, Sourcing 3/min). Keys are named by plan prefix: any key
 * registered with {@link Builder#key} is usable, e.g. {@code free-a}, {@code pro-a}, {@code ent-a}.
 */
public final class GatewayFixture implements AutoCloseable {
    /** The cases' configuration; {@code UPSTREAM} is replaced with the upstream's base URI. */
    public static final String DEFAULT_YAML = String.join("\n",
            "server: { port: 0, admin-port: 0, shutdown-grace: 5s }",
            "proxy: { response-timeout: 2s, connect-timeout: 1s }",
            "identity:",
            "  api-keys: { header: X-API-Key, file: keys.yaml }",
            "plans:",
            "  free: { limit: 30, period: 1m }",
            "  pro: { limit: 120, period: 1m }",
            "  enterprise: { unlimited: true }",
            "endpoints:",
            "  discovery: { path: /api/discovery/**, limit: 5, period: 1m }",
            "  sourcing: { path: /api/sourcing/**, limit: 3, period: 1m }",
            "routes:",
            "  - { path: /api/**, upstream: UPSTREAM }",
            "");

    private final GatewayServer server;
    private final ScriptedUpstream upstream;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private GatewayFixture(GatewayServer server, ScriptedUpstream upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the default fixture with keys free-a…free-z, pro-a…pro-z and ent-a…ent-z. */
    public static GatewayFixture start() {
        return builder().build();
    }

    public GatewayServer server() {
        return server;
    }

    public ScriptedUpstream upstream() {
        return upstream;
    }

    public int port() {
        return server.port();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Sends {@code GET path} with the given API key (null for none). */
    public HttpResponse<String> get(String key, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return send(request.build());
    }

    /** Sends a request to the admin port. */
    public HttpResponse<String> admin(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
                .timeout(Duration.ofSeconds(5)).GET().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public RawHttp raw() throws IOException {
        return RawHttp.connect(server.port());
    }

    @Override
    public void close() throws IOException {
        server.stop(Duration.ofSeconds(1));
        upstream.close();
    }

    /** Configures a fixture. */
    public static final class Builder {
        private String yaml = DEFAULT_YAML;
        private UnaryOperator<String> edit = UnaryOperator.identity();
        private NanoClock clock = NanoClock.SYSTEM;
        private final Map<String, String> keys = new LinkedHashMap<>();

        Builder() {
            for (char c = 'a'; c <= 'z'; c++) {
                key("free-" + c, "free");
                key("pro-" + c, "pro");
                key("ent-" + c, "enterprise");
            }
        }

        /** Replaces the YAML (use {@code UPSTREAM} for the upstream URI, {@code keys.yaml} for the key file). */
        public Builder yaml(String newYaml) {
            this.yaml = newYaml;
            return this;
        }

        /** Adds settings to the {@code proxy:} map of the default YAML, e.g. {@code "max-body-size: 100"}. */
        public Builder proxy(String settings) {
            UnaryOperator<String> previous = edit;
            this.edit = text -> previous.apply(text).replace("proxy: { response-timeout: 2s, connect-timeout: 1s",
                    "proxy: { response-timeout: 2s, connect-timeout: 1s, " + settings);
            return this;
        }

        /** Turns the default YAML's identity section into anonymous per-IP limiting under the Free plan. */
        public static String anonymous(String yaml) {
            return yaml.replace("identity:\n", "identity:\n  anonymous: by-ip\n  anonymous-plan: free\n");
        }

        /** Edits the YAML text before it is loaded, after any earlier edits. */
        public Builder edit(UnaryOperator<String> newEdit) {
            UnaryOperator<String> previous = edit;
            this.edit = text -> newEdit.apply(previous.apply(text));
            return this;
        }

        public Builder clock(NanoClock newClock) {
            this.clock = newClock;
            return this;
        }

        /** Registers a key whose account is the key's own name. */
        public Builder key(String key, String plan) {
            keys.put(key, plan);
            return this;
        }

        public GatewayFixture build() {
            ScriptedUpstream upstream = ScriptedUpstream.start();
            try {
                Path dir = Files.createTempDirectory("ventra-fixture");
                StringBuilder keyFile = new StringBuilder("keys:\n");
                keys.forEach((key, plan) -> keyFile.append("  - { sha256: ").append(ApiKeys.hash(key))
                        .append(", account: ").append(key).append(", plan: ").append(plan).append(" }\n"));
                Files.writeString(dir.resolve("keys.yaml"), keyFile);
                String text = edit.apply(yaml).replace("UPSTREAM", "http://127.0.0.1:" + upstream.port());
                Path file = dir.resolve("gateway.yaml");
                Files.writeString(file, text);
                GatewayConfig config = ConfigLoader.withEnvironment(name -> null).load(file);
                BucketStore store = new MemoryBucketStore(clock, config.store().maxBuckets());
                return new GatewayFixture(GatewayServer.start(config, store), upstream);
            } catch (IOException | RuntimeException e) {
                try {
                    upstream.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e instanceof IOException ? new UncheckedIOException((IOException) e) : (RuntimeException) e;
            }
        }
    }
}
