package io.ventra.gateway.core.identity;

import io.ventra.gateway.core.config.ApiKeyEntry;
import io.ventra.gateway.core.config.PlanConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Looks API keys up by their SHA-256, so the key file never holds a usable secret. The presented key is
 * hashed, the hash finds the entry, and the stored and computed hashes are compared in constant time.
 */
public final class ApiKeys {
    private final Map<ByteBuffer, Stored> byHash = new HashMap<>();

    public ApiKeys(List<ApiKeyEntry> entries, Map<String, PlanConfig> plans) {
        for (ApiKeyEntry entry : entries) {
            byte[] hash = entry.sha256();
            byHash.put(ByteBuffer.wrap(hash), new Stored(hash, new Caller(entry.account(), plans.get(entry.plan()),
                    false)));
        }
    }

    /** Returns the stored form of a key: the lower-case hex SHA-256 of its UTF-8 bytes. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /** Returns the caller a key belongs to, or {@code null} for a missing, blank or unknown key. */
    public Caller lookup(String presented) {
        if (presented == null || presented.isBlank()) {
            return null;
        }
        byte[] hash = sha256(presented.strip());
        Stored stored = byHash.get(ByteBuffer.wrap(hash));
        if (stored == null || !MessageDigest.isEqual(stored.hash, hash)) {
            return null;
        }
        return stored.caller;
    }

    public int size() {
        return byHash.size();
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private record Stored(byte[] hash, Caller caller) {
    }
}
