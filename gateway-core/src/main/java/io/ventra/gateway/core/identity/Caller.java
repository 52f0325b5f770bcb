package io.ventra.gateway.core.identity;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.config.PlanConfig;

/**
 * Who made a request.
 *
 * @param account   the account buckets are kept for; {@code ip:<address>} for anonymous callers
 * @param plan      the account's plan
 * @param anonymous true when identified by client address instead of a key
 */
public record Caller(String account, PlanConfig plan, boolean anonymous) {
    public Caller {
        requireNonNull(account, "account");
        requireNonNull(plan, "plan");
    }
}
