package io.ventra.gateway.core;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.Admission.Verdict;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.config.IdentityConfig.AnonymousPolicy;
import io.ventra.gateway.core.config.RouteConfig;
import io.ventra.gateway.core.identity.ApiKeys;
import io.ventra.gateway.core.identity.Caller;
import io.ventra.gateway.core.limit.Decision;
import io.ventra.gateway.core.limit.LimitPolicy;
import io.ventra.gateway.core.limit.Quota;
import io.ventra.gateway.core.limit.RateLimiter;
import io.ventra.gateway.core.path.PathNormalizer;
import io.ventra.gateway.core.store.BucketStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Admits or refuses requests for one configuration: identifies the caller, finds the route, and charges the
 * caller's quotas. This is the library's entry point; the proxy calls it once per request, and a JVM service
 * can call it from its own filter. Immutable: a config reload builds a new one over the same store.
 *
 * <p>Order: a malformed path is refused (400) before anything else; a missing, blank or unknown key (401)
 * before routing, so that strangers learn nothing about routes; an unrouted path (404) before limiting. None of
 * these consumes a token.
 */
public final class Gatekeeper {
    private static final String ANONYMOUS_PREFIX = "ip:";

    private final GatewayConfig config;
    private final ApiKeys keys;
    private final LimitPolicy policy;
    private final RateLimiter limiter;
    private final Caller anonymousTemplate;

    private Gatekeeper(GatewayConfig config, BucketStore store) {
        this.config = config;
        this.keys = new ApiKeys(config.identity().keys(), config.plans());
        this.policy = new LimitPolicy(config);
        this.limiter = new RateLimiter(store);
        this.anonymousTemplate = config.identity().anonymous() == AnonymousPolicy.BY_IP
                ? new Caller(ANONYMOUS_PREFIX, config.plans().get(config.identity().anonymousPlan().get()), true)
                : null;
    }

    /** Creates a gatekeeper for {@code config} that keeps buckets in {@code store}. */
    public static Gatekeeper create(GatewayConfig config, BucketStore store) {
        return new Gatekeeper(requireNonNull(config, "config"), requireNonNull(store, "store"));
    }

    public GatewayConfig config() {
        return config;
    }

    public BucketStore store() {
        return limiter.store();
    }

    /**
     * Decides one request.
     *
     * @param apiKey        the API-key header value, or {@code null} when absent
     * @param clientAddress the trusted client address, used for anonymous callers
     * @param method        the request method, upper case
     * @param target        the request-target as received
     */
    public CompletableFuture<Admission> admit(String apiKey, String clientAddress, String method, String target) {
        String path = PathNormalizer.normalize(target);
        if (path == null) {
            return done(new Admission(Verdict.BAD_REQUEST, null, null, null));
        }
        Caller caller = identify(apiKey, clientAddress);
        if (caller == null) {
            return done(new Admission(Verdict.UNAUTHORIZED, null, null, null));
        }
        RouteConfig route = route(path);
        if (route == null) {
            return done(new Admission(Verdict.NOT_FOUND, caller, null, null));
        }
        List<Quota> quotas = policy.quotas(caller.plan(), method, path);
        return limiter.acquire(caller.account(), quotas).thenApply(decision -> new Admission(
                verdict(decision), caller, route, decision));
    }

    /** Returns the first route whose pattern matches the normalized path, or {@code null}. */
    public RouteConfig route(String normalizedPath) {
        for (RouteConfig route : config.routes()) {
            if (route.path().matches(normalizedPath)) {
                return route;
            }
        }
        return null;
    }

    private Caller identify(String apiKey, String clientAddress) {
        if (apiKey != null) {
            return keys.lookup(apiKey);
        }
        if (anonymousTemplate == null || clientAddress == null) {
            return null;
        }
        return new Caller(ANONYMOUS_PREFIX + clientAddress, anonymousTemplate.plan(), true);
    }

    private static Verdict verdict(Decision decision) {
        switch (decision.outcome()) {
            case LIMITED:
                return Verdict.LIMITED;
            case FAILURE_DENIED:
                return Verdict.UNAVAILABLE;
            default:
                return Verdict.PASS;
        }
    }

    private static CompletableFuture<Admission> done(Admission admission) {
        return CompletableFuture.completedFuture(admission);
    }
}
