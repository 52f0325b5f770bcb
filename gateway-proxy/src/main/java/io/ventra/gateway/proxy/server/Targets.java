package io.ventra.gateway.proxy.server;

import io.netty.handler.codec.http.HttpMethod;

/**
 * Checks a request-target (RFC 9112 §3.2). Accepted: origin-form whose path holds only RFC 3986 path
 * characters and well-formed {@code %} escapes, and whose query holds no bad escape; {@code *} for OPTIONS.
 * Absolute-form and authority-form are refused: the gateway is not a forward proxy.
 */
final class Targets {
    private static final String SUB_DELIMS = "!$&'()*+,;=";

    private Targets() {
    }

    /** Returns why {@code target} is refused, or {@code null} when it is acceptable. */
    static String check(HttpMethod method, String target) {
        if (target.equals("*")) {
            return HttpMethod.OPTIONS.equals(method) ? null : "'*' is only valid for OPTIONS";
        }
        if (target.isEmpty() || target.charAt(0) != '/') {
            return "The request-target must start with '/'";
        }
        int query = target.indexOf('?');
        int pathEnd = query < 0 ? target.length() : query;
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '%') {
                if (i + 2 >= target.length() || !isHex(target.charAt(i + 1)) || !isHex(target.charAt(i + 2))) {
                    return "The request-target has a bad percent escape";
                }
                i += 2;
            } else if (c <= ' ' || c >= 0x7f || c == '#') {
                return "The request-target holds a character that must be escaped";
            } else if (i < pathEnd && !isPathChar(c)) {
                return "The request path holds a character that must be escaped";
            }
        }
        return null;
    }

    private static boolean isPathChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~:@/".indexOf(c) >= 0
                || SUB_DELIMS.indexOf(c) >= 0;
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
