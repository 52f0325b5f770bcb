package io.ventra.gateway.core;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.config.RouteConfig;
import io.ventra.gateway.core.headers.Problem;
import io.ventra.gateway.core.identity.Caller;
import io.ventra.gateway.core.limit.Decision;

/**
 * The gateway's answer for one request: pass it on, or refuse it with a status.
 *
 * @param verdict  pass, or the reason for refusing
 * @param caller   who asked; {@code null} when not identified
 * @param route    where it goes; {@code null} when no route matched or it was refused before routing
 * @param decision the rate-limit decision; {@code null} when refused before limiting
 */
public record Admission(Verdict verdict, Caller caller, RouteConfig route, Decision decision) {
    public Admission {
        requireNonNull(verdict, "verdict");
    }

    public boolean isPass() {
        return verdict == Verdict.PASS;
    }

    /** Returns the problem body to send when refused, naming the limit that was hit if any. */
    public Problem problem() {
        switch (verdict) {
            case BAD_REQUEST:
                return Problem.of(400, "Bad Request", "The request-target is not a valid path.");
            case UNAUTHORIZED:
                return Problem.of(401, "Unauthorized", "A valid API key is required.");
            case NOT_FOUND:
                return Problem.of(404, "Not Found", "No route serves this path.");
            case LIMITED:
                return Problem.of(429, "Too Many Requests", "Rate limit '" + decision.quota().limit().name()
                                + "' exceeded: " + decision.quota().limit().limit() + " requests per "
                                + decision.quota().limit().windowSeconds() + " s. Retry after "
                                + decision.retryAfterSeconds() + " s.")
                        .with("limit", decision.quota().limit().name())
                        .with("scope", decision.quota().scope().name().toLowerCase(java.util.Locale.ROOT))
                        .with("retry_after", decision.retryAfterSeconds());
            case UNAVAILABLE:
                // Names no store, host or exception: the client only needs to know to come back.
                return Problem.of(503, "Service Unavailable", "Rate limits cannot be checked right now. Retry after "
                                + decision.retryAfterSeconds() + " s.")
                        .with("retry_after", decision.retryAfterSeconds());
            default:
                throw new IllegalStateException("A passed request has no problem");
        }
    }

    /** Why a request was refused, or that it passes. */
    public enum Verdict {
        PASS,
        BAD_REQUEST,
        UNAUTHORIZED,
        NOT_FOUND,
        LIMITED,
        /** The store could not answer and a quota's failure mode is deny: 503, never blamed on the client. */
        UNAVAILABLE
    }
}
