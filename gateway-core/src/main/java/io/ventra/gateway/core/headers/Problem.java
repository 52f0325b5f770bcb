package io.ventra.gateway.core.headers;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem body ({@code application/problem+json}) for responses the gateway makes itself. It holds
 * a short title, a detail written by the gateway, and optional extra members; never a stack trace, and never
 * untrusted input rendered as HTML.
 */
public final class Problem {
    public static final String CONTENT_TYPE = "application/problem+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> members = new LinkedHashMap<>();

    private Problem(int status, String title, String detail) {
        members.put("type", "about:blank");
        members.put("title", requireNonNull(title, "title"));
        members.put("status", status);
        members.put("detail", requireNonNull(detail, "detail"));
    }

    /** Starts a problem with its HTTP status, title and detail. */
    public static Problem of(int status, String title, String detail) {
        return new Problem(status, title, detail);
    }

    /** Adds a member such as {@code limit} or {@code request_id}; {@code null} values are left out. */
    public Problem with(String name, Object value) {
        if (value != null) {
            members.put(name, value);
        }
        return this;
    }

    public int status() {
        return (Integer) members.get("status");
    }

    /** Returns the UTF-8 JSON body. */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(members);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write a problem body", e);
        }
    }
}
