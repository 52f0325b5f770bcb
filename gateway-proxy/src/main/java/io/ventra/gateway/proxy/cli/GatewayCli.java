package io.ventra.gateway.proxy.cli;

import io.ventra.gateway.core.config.ConfigException;
import io.ventra.gateway.core.config.ConfigLoader;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.config.RouteConfig;
import io.ventra.gateway.core.identity.ApiKeys;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.store.BucketStore;
import io.ventra.gateway.core.store.BucketStores;
import io.ventra.gateway.proxy.Version;
import io.ventra.gateway.proxy.lifecycle.SignalHandlers;
import io.ventra.gateway.proxy.reload.ConfigReloader;
import io.ventra.gateway.proxy.server.GatewayServer;
import io.ventra.gateway.proxy.store.StoreOutageLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code ventra-gateway} command: run, validate, explain, hash-key, demo-upstream. */
@Command(name = "ventra-gateway", mixinStandardHelpOptions = true, versionProvider = GatewayCli.VersionInfo.class,
        description = "Rate-limiting API gateway.",
        subcommands = {GatewayCli.Run.class, GatewayCli.Validate.class, Explain.class, GatewayCli.HashKey.class,
                GatewayCli.Demo.class})
public final class GatewayCli {
    /** The environment variable holding the bearer token for {@code POST /admin/reload}. */
    static final String ADMIN_TOKEN_ENV = "VENTRA_ADMIN_TOKEN";
    private static final int MIN_TOKEN_CHARS = 16;
    private static final Logger log = LoggerFactory.getLogger(GatewayCli.class);

    GatewayCli() {
    }

    public static void main(String[] args) {
        int code = new CommandLine(new GatewayCli()).execute(args);
        if (code != 0 || args.length == 0 || !"run".equals(args[0]) && !"demo-upstream".equals(args[0])) {
            System.exit(code);
        }
    }

    static GatewayConfig load(Path file, PrintWriter err) {
        try {
            return ConfigLoader.fromEnvironment().load(file);
        } catch (ConfigException e) {
            err.println("Invalid configuration " + file + ":");
            e.errors().forEach(line -> err.println("  " + line));
            err.flush();
            return null;
        }
    }

    /** {@code run}: starts the gateway and serves until SIGTERM or SIGINT. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Start the gateway.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", required = true, description = "The gateway's YAML file.")
        Path config;

        @Option(names = "--demo-upstream", description = "Also start the built-in demo upstream at the address "
                + "of the first route (it must be a loopback address).")
        boolean demoUpstream;

        @Option(names = "--no-watch", description = "Do not reload when the config or key file changes "
                + "(SIGHUP and POST /admin/reload still reload).")
        boolean noWatch;

        @Override
        public Integer call() throws InterruptedException {
            GatewayConfig gatewayConfig = load(config, spec.commandLine().getErr());
            if (gatewayConfig == null) {
                return 2;
            }
            DemoUpstream demo = demoUpstream ? startDemo(gatewayConfig) : null;
            BucketStore store = BucketStores.create(gatewayConfig.store(), NanoClock.SYSTEM, new StoreOutageLog());
            GatewayServer server;
            try {
                server = GatewayServer.start(gatewayConfig, store);
            } catch (Exception e) {  // Netty rethrows a bind failure (a checked IOException) unchecked.
                log.error("Failed to start: {}", e.toString());
                if (demo != null) {
                    demo.close();
                }
                return 1;
            }
            server.adminToken(adminToken());
            ConfigReloader reloader = ConfigReloader.start(server, config, ConfigLoader.fromEnvironment(), !noWatch);
            SignalHandlers.onReloadSignal(() -> reloader.reload("SIGHUP"));
            log.info("Started Ventra Gateway {} ({}) on proxy port {} and admin port {}", Version.VERSION,
                    Version.COMMIT, server.port(), server.adminPort());
            CountDownLatch stopped = new CountDownLatch(1);
            SignalHandlers.onShutdownSignal(() -> {
                server.stop(gatewayConfig.server().shutdownGrace());
                if (demo != null) {
                    demo.close();
                }
                stopped.countDown();
            });
            stopped.await();
            System.exit(0);
            return 0;
        }

        private static String adminToken() {
            String token = System.getenv(ADMIN_TOKEN_ENV);
            if (token == null || token.isBlank()) {
                log.info("POST /admin/reload is disabled: {} is not set", ADMIN_TOKEN_ENV);
                return null;
            }
            if (token.strip().length() < MIN_TOKEN_CHARS) {
                log.warn("{} is shorter than {} characters; use a long random token", ADMIN_TOKEN_ENV,
                        MIN_TOKEN_CHARS);
            }
            return token.strip();
        }

        private DemoUpstream startDemo(GatewayConfig gatewayConfig) {
            RouteConfig route = gatewayConfig.routes().get(0);
            DemoUpstream demo = DemoUpstream.start(route.upstreamHost(), route.upstreamPort());
            log.info("Demo upstream listening on {}:{}", route.upstreamHost(), demo.port());
            return demo;
        }
    }

    /** {@code validate}: checks a config file; exit code 0 when valid, 2 with every error when not. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a configuration file and print every error with its YAML path.")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", required = true, description = "The gateway's YAML file.")
        Path config;

        @Override
        public Integer call() {
            GatewayConfig gatewayConfig = load(config, spec.commandLine().getErr());
            if (gatewayConfig == null) {
                return 2;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s is valid: %d plans, %d endpoint quotas, %d routes, %d API keys%n", config,
                    gatewayConfig.plans().size(), gatewayConfig.endpoints().size(), gatewayConfig.routes().size(),
                    gatewayConfig.identity().keys().size());
            out.flush();
            return 0;
        }
    }

    /** {@code hash-key}: reads an API key on stdin and prints its stored form for the key file. */
    @Command(name = "hash-key", mixinStandardHelpOptions = true,
            description = "Read an API key on standard input and print its SHA-256 for the key file.")
    static final class HashKey implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String key = in.readLine();
            if (key == null || key.isBlank()) {
                spec.commandLine().getErr().println("No key on standard input (expected: one line with the key).");
                return 2;
            }
            spec.commandLine().getOut().println(ApiKeys.hash(key.strip()));
            return 0;
        }
    }

    /** {@code demo-upstream}: runs only the demo upstream. */
    @Command(name = "demo-upstream", mixinStandardHelpOptions = true,
            description = "Run the built-in demo upstream (a JSON echo API).")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "3000", description = "Port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address (default: ${DEFAULT-VALUE}).")
        String bind;

        @Override
        public Integer call() throws InterruptedException {
            DemoUpstream demo = DemoUpstream.start(bind, port);
            log.info("Demo upstream listening on {}:{}", bind, demo.port());
            CountDownLatch stopped = new CountDownLatch(1);
            SignalHandlers.onShutdownSignal(() -> {
                demo.close();
                stopped.countDown();
            });
            stopped.await();
            System.exit(0);
            return 0;
        }
    }

    static final class VersionInfo implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ventra-gateway " + Version.VERSION + " (" + Version.COMMIT + ")"};
        }
    }
}
