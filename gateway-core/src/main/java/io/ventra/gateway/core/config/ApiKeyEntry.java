package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

/**
 * One API key in its stored form.
 *
 * @param sha256  SHA-256 of the key, 32 bytes
 * @param account the account the key belongs to
 * @param plan    the account's plan name
 */
public record ApiKeyEntry(byte[] sha256, String account, String plan) {
    public ApiKeyEntry {
        requireNonNull(sha256, "sha256");
        requireNonNull(account, "account");
        requireNonNull(plan, "plan");
        if (sha256.length != 32) {
            throw new IllegalArgumentException("sha256: " + sha256.length + " bytes (expected: 32)");
        }
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }
}
