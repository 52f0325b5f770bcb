package io.ventra.gateway.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Parses literal IP addresses without ever resolving a host name. */
final class Addresses {
    private Addresses() {
    }

    /** Returns the 4 or 16 address bytes, or {@code null} when {@code text} is not a literal address. */
    static byte[] parse(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return null;
        }
        boolean ipv6 = text.indexOf(':') >= 0;
        boolean literal = ipv6 ? text.matches("[0-9A-Fa-f:.]+") : text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        if (!literal || !ipv6 && !octetsInRange(text)) {
            return null;
        }
        try {
            // Safe: a literal address never triggers a DNS lookup.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean octetsInRange(String text) {
        for (String octet : text.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isMappedIpv4(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    static String format(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
