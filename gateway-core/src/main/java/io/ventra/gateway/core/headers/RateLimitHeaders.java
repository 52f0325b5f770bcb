package io.ventra.gateway.core.headers;

import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.limit.Decision;

/**
 * Renders a decision as response headers, describing the one quota the decision names (the binding one when
 * allowed, the refusing one when limited):
 *
 * <ul>
 *   <li>{@code RateLimit-Policy: "free";q=30;w=60} and {@code RateLimit: "free";r=29;t=2}
 *       (IETF httpapi RateLimit header fields draft);</li>
 *   <li>{@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining}, {@code X-RateLimit-Reset} (seconds from now),
 *       the legacy names most clients read;</li>
 *   <li>{@code Retry-After} (whole seconds, at least 1) when limited.</li>
 * </ul>
 *
 * <p>{@code t} and {@code X-RateLimit-Reset} are the seconds until the bucket is full again when allowed, and
 * the seconds until the next token (equal to {@code Retry-After}) when limited. Unlimited decisions get no
 * rate-limit headers at all, never a made-up zero.
 */
public final class RateLimitHeaders {
    public static final String RATE_LIMIT_POLICY = "RateLimit-Policy";
    public static final String RATE_LIMIT = "RateLimit";
    public static final String LIMIT = "X-RateLimit-Limit";
    public static final String REMAINING = "X-RateLimit-Remaining";
    public static final String RESET = "X-RateLimit-Reset";
    public static final String RETRY_AFTER = "Retry-After";

    private RateLimitHeaders() {
    }

    /** Writes the headers for {@code decision} into {@code sink}. */
    public static void render(Decision decision, HeaderSink sink) {
        if (decision.outcome() == Decision.Outcome.UNLIMITED) {
            return;
        }
        LimitConfig limit = decision.quota().limit();
        boolean limited = decision.outcome() == Decision.Outcome.LIMITED;
        long reset = limited ? decision.retryAfterSeconds() : decision.resetSeconds();
        String name = limit.name();
        sink.set(RATE_LIMIT_POLICY, '"' + name + "\";q=" + limit.limit() + ";w=" + limit.windowSeconds());
        sink.set(RATE_LIMIT, '"' + name + "\";r=" + decision.remaining() + ";t=" + reset);
        sink.set(LIMIT, Long.toString(limit.limit()));
        sink.set(REMAINING, Long.toString(decision.remaining()));
        sink.set(RESET, Long.toString(reset));
        if (limited) {
            sink.set(RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        }
    }
}
