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
 *
 * <p>When the store could not answer: a request let through (failure-allowed) gets no rate-limit headers, since
 * nothing was counted; a refused one (failure-denied, a 503) gets only {@code Retry-After}. A request a shadow
 * quota would have refused gets the headers of the enforced binding quota, if any, plus
 * {@code X-RateLimit-Shadow: "discovery";q=5;w=60;t=12} naming the shadow quota and when it would let a retry
 * pass; never {@code Retry-After}, since the request passed.
 */
public final class RateLimitHeaders {
    public static final String RATE_LIMIT_POLICY = "RateLimit-Policy";
    public static final String RATE_LIMIT = "RateLimit";
    public static final String LIMIT = "X-RateLimit-Limit";
    public static final String REMAINING = "X-RateLimit-Remaining";
    public static final String RESET = "X-RateLimit-Reset";
    public static final String RETRY_AFTER = "Retry-After";
    public static final String SHADOW = "X-RateLimit-Shadow";

    private RateLimitHeaders() {
    }

    /** Writes the headers for {@code decision} into {@code sink}. */
    public static void render(Decision decision, HeaderSink sink) {
        switch (decision.outcome()) {
            case UNLIMITED:
            case FAILURE_ALLOWED:
                return;
            case FAILURE_DENIED:
                sink.set(RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
                return;
            case SHADOW_LIMITED:
                if (decision.quota() != null) {
                    renderQuota(decision, false, sink);
                }
                LimitConfig shadow = decision.shadowQuota().limit();
                sink.set(SHADOW, '"' + shadow.name() + "\";q=" + shadow.limit() + ";w=" + shadow.windowSeconds()
                        + ";t=" + decision.retryAfterSeconds());
                return;
            case LIMITED:
                renderQuota(decision, true, sink);
                sink.set(RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
                return;
            default:
                renderQuota(decision, false, sink);
        }
    }

    private static void renderQuota(Decision decision, boolean limited, HeaderSink sink) {
        LimitConfig limit = decision.quota().limit();
        long reset = limited ? decision.retryAfterSeconds() : decision.resetSeconds();
        String name = limit.name();
        sink.set(RATE_LIMIT_POLICY, '"' + name + "\";q=" + limit.limit() + ";w=" + limit.windowSeconds());
        sink.set(RATE_LIMIT, '"' + name + "\";r=" + decision.remaining() + ";t=" + reset);
        sink.set(LIMIT, Long.toString(limit.limit()));
        sink.set(REMAINING, Long.toString(decision.remaining()));
        sink.set(RESET, Long.toString(reset));
    }
}
