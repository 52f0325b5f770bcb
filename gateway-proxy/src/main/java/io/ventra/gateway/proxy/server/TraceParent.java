package io.ventra.gateway.proxy.server;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C Trace Context {@code traceparent} handling: a valid incoming value is passed upstream unchanged, anything
 * else is replaced by a new one, so every request the upstream sees belongs to a trace.
 */
final class TraceParent {
    static final String HEADER = "traceparent";
    static final String STATE_HEADER = "tracestate";

    // version 00 exactly, or a later version which may append fields (Trace Context §3.2.4); ff is invalid.
    private static final Pattern VALID = Pattern.compile(
            "(?:00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}|(?!00|ff)[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}"
                    + "(?:-.*)?)");
    private static final String ZERO_TRACE = "00000000000000000000000000000000";
    private static final String ZERO_PARENT = "0000000000000000";

    private TraceParent() {
    }

    /** Returns {@code incoming} when it is a valid traceparent, else {@code null}. */
    static String valid(String incoming) {
        if (incoming == null || incoming.length() > 512 || !VALID.matcher(incoming).matches()) {
            return null;
        }
        if (incoming.regionMatches(3, ZERO_TRACE, 0, 32) || incoming.regionMatches(36, ZERO_PARENT, 0, 16)) {
            return null;
        }
        return incoming;
    }

    /** Returns a new traceparent with a random trace id and parent id, not sampled. */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "00-" + hex(random.nextLong() | 1) + hex(random.nextLong()) + "-" + hex(random.nextLong() | 1)
                + "-00";
    }

    private static String hex(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(16 - digits.length()) + digits;
    }
}
