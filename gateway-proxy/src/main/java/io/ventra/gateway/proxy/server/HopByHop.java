package io.ventra.gateway.proxy.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Removes hop-by-hop headers (RFC 9110 §7.6.1): {@code Connection} and every header it names, plus the fixed
 * set that only ever concerns one connection. Call it on a message as received, before the gateway adds its
 * own headers, so that a {@code Connection} list can never remove what the gateway adds.
 */
final class HopByHop {
    private static final List<AsciiString> FIXED = List.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            AsciiString.cached("proxy-connection"),
            HttpHeaderNames.PROXY_AUTHORIZATION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER,
            HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE);

    /**
     * Headers a {@code Connection} list may name but never remove: they frame or address the message, and
     * removing them while the body is still forwarded would let a client desynchronise the upstream connection.
     */
    private static final List<AsciiString> PROTECTED = List.of(
            HttpHeaderNames.CONTENT_LENGTH,
            HttpHeaderNames.HOST,
            HttpHeaderNames.CONTENT_TYPE);

    private HopByHop() {
    }

    static void strip(HttpHeaders headers) {
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : value.split(",")) {
                String trimmed = name.trim();
                if (!trimmed.isEmpty() && !isProtected(trimmed)) {
                    headers.remove(trimmed);
                }
            }
        }
        for (AsciiString name : FIXED) {
            headers.remove(name);
        }
    }

    private static boolean isProtected(String name) {
        for (AsciiString protectedName : PROTECTED) {
            if (protectedName.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
