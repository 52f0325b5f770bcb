package io.ventra.gateway.proxy.server;

import io.ventra.gateway.core.config.ProxyConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code X-Forwarded-For} handling. The gateway always appends the connecting peer, so the upstream sees the
 * whole chain. For its own use (anonymous per-IP limiting) it believes the header only as far as
 * {@code proxy.trusted-proxies} vouch for it: walking from the right, past the peer and every trusted hop, the
 * first untrusted address is the client. With no trusted proxies (the default) the client is always the peer,
 * so rotating the header gains nothing.
 */
final class ForwardedFor {
    private ForwardedFor() {
    }

    /** Returns the header value to send upstream: the received values, then {@code peer}. */
    static String append(List<String> received, String peer) {
        List<String> hops = hops(received);
        if (peer != null) {
            hops.add(peer);
        }
        return String.join(", ", hops);
    }

    /** Returns the address to limit an anonymous caller by. */
    static String clientAddress(String peer, List<String> received, ProxyConfig config) {
        if (peer == null || !config.isTrustedProxy(peer)) {
            return peer;
        }
        List<String> hops = hops(received);
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!isAddress(hop)) {
                // Garbage left of a trusted hop: the last vouched-for address is the best we know.
                return client;
            }
            client = hop;
            if (!config.isTrustedProxy(hop)) {
                return hop;
            }
        }
        return client;
    }

    private static List<String> hops(List<String> received) {
        List<String> hops = new ArrayList<>();
        for (String value : received) {
            for (String hop : value.split(",")) {
                String trimmed = hop.trim();
                if (!trimmed.isEmpty()) {
                    hops.add(trimmed);
                }
            }
        }
        return hops;
    }

    private static boolean isAddress(String hop) {
        return hop.length() <= 45 && (hop.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || hop.matches("[0-9A-Fa-f:.]+")
                && hop.indexOf(':') >= 0);
    }
}
