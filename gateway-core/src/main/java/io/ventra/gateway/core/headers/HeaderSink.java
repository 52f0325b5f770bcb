package io.ventra.gateway.core.headers;

/** Receives response headers; lets core render headers without knowing the HTTP library. */
@FunctionalInterface
public interface HeaderSink {
    /** Sets (replaces) a header. */
    void set(String name, String value);
}
