package io.ventra.gateway.proxy.cli;

import io.ventra.gateway.core.config.EndpointQuotaConfig;
import io.ventra.gateway.core.config.Durations;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.config.IdentityConfig.AnonymousPolicy;
import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.PlanConfig;
import io.ventra.gateway.core.config.RouteConfig;
import io.ventra.gateway.core.identity.ApiKeys;
import io.ventra.gateway.core.identity.Caller;
import io.ventra.gateway.core.limit.LimitPolicy;
import io.ventra.gateway.core.limit.Quota;
import io.ventra.gateway.core.path.PathNormalizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code explain}: prints what the gateway would do with one request under a config file: the account and plan
 * the key maps to, the route and upstream, and every quota the request would be charged. Touches no store.
 * Exit code 0 when the request would be forwarded, 1 when the gateway would refuse it (400, 401, 404), 2 when
 * the config is invalid.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Show which account, plan, route, upstream and quotas apply to a request.")
final class Explain implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, description = "The gateway's YAML file.")
    Path config;

    @Option(names = "--key", description = "The API key to explain; '-' reads it from standard input, which keeps "
            + "it out of the shell history. Leave out for an anonymous request.")
    String key;

    @Option(names = "--path", required = true, description = "The request-target, e.g. /api/v1/discovery/search.")
    String path;

    @Option(names = "--method", defaultValue = "GET", description = "The request method (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--client-ip", defaultValue = "127.0.0.1",
            description = "The client address, for anonymous requests (default: ${DEFAULT-VALUE}).")
    String clientIp;

    @Override
    public Integer call() throws IOException {
        GatewayConfig gatewayConfig = GatewayCli.load(config, spec.commandLine().getErr());
        if (gatewayConfig == null) {
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            return explain(gatewayConfig, out);
        } finally {
            out.flush();
        }
    }

    private int explain(GatewayConfig gatewayConfig, PrintWriter out) throws IOException {
        String upperMethod = method.toUpperCase(Locale.ROOT);
        out.printf("Request:   %s %s%n", upperMethod, path);
        String normalized = PathNormalizer.normalize(path);
        if (normalized == null) {
            out.println("Result:    400 Bad Request: the request-target is not a valid path");
            return 1;
        }
        if (!normalized.equals(path)) {
            out.printf("Path:      %s (normalized)%n", normalized);
        }
        Caller caller = caller(gatewayConfig, presentedKey());
        if (caller == null) {
            out.println("Account:   none");
            out.println("Result:    401 Unauthorized: " + (key == null ? "no API key, and anonymous requests are "
                    + "rejected" : "the key matches no entry in the key file"));
            return 1;
        }
        out.printf("Account:   %s%s%n", caller.account(), caller.anonymous() ? " (anonymous, by client address)"
                : "");
        out.printf("Plan:      %s (%s)%n", caller.plan().name(), describe(caller.plan()));
        RouteConfig route = route(gatewayConfig, normalized);
        if (route == null) {
            out.println("Route:     none");
            out.println("Result:    404 Not Found: no route serves this path");
            return 1;
        }
        out.printf("Route:     %s%n", route.path());
        out.printf("Upstream:  %s%n", route.upstream());
        List<Quota> quotas = new LimitPolicy(gatewayConfig).quotas(caller.plan(), upperMethod, normalized);
        if (quotas.isEmpty()) {
            out.println("Quotas:    none; the request is not rate limited");
        }
        for (Quota quota : quotas) {
            out.printf("Quota:     %s '%s': %s%n", quota.scope() == Quota.Scope.PLAN ? "plan" : "endpoint quota",
                    quota.limit().name(), describe(quota.limit()));
        }
        for (EndpointQuotaConfig endpoint : gatewayConfig.endpoints().values()) {
            if (endpoint.path().matches(normalized)
                    && !(endpoint.appliesTo(caller.plan()) && endpoint.covers(upperMethod, normalized))) {
                out.printf("Skipped:   endpoint quota '%s' covers this path but not this %s%n", endpoint.name(),
                        endpoint.appliesTo(caller.plan()) ? "method" : "plan");
            }
        }
        out.println("Result:    forwarded while every quota above has a token; else 429");
        return 0;
    }

    private String presentedKey() throws IOException {
        if (!"-".equals(key)) {
            return key;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        return line == null ? "" : line.strip();
    }

    private Caller caller(GatewayConfig gatewayConfig, String presented) {
        if (presented != null) {
            return new ApiKeys(gatewayConfig.identity().keys(), gatewayConfig.plans()).lookup(presented);
        }
        if (gatewayConfig.identity().anonymous() != AnonymousPolicy.BY_IP) {
            return null;
        }
        PlanConfig plan = gatewayConfig.plans().get(gatewayConfig.identity().anonymousPlan().orElseThrow());
        return new Caller("ip:" + clientIp, plan, true);
    }

    private static RouteConfig route(GatewayConfig gatewayConfig, String normalized) {
        for (RouteConfig route : gatewayConfig.routes()) {
            if (route.path().matches(normalized)) {
                return route;
            }
        }
        return null;
    }

    private static String describe(PlanConfig plan) {
        String limit = plan.limit().map(Explain::describe).orElse("unlimited");
        return plan.endpointQuotas() ? limit : limit + "; endpoint quotas do not apply";
    }

    private static String describe(LimitConfig limit) {
        return limit.limit() + " per " + Durations.format(limit.period()) + ", "
                + limit.refill().name().toLowerCase(Locale.ROOT) + " refill";
    }
}
