package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a block of
 * one. Parsing takes literal addresses only and never resolves names.
 *
 * @param network the block's first address, with host bits cleared
 * @param prefix  the number of leading bits that must match
 */
public record Cidr(byte[] network, int prefix) {
    public Cidr {
        requireNonNull(network, "network");
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("network: " + network.length + " bytes (expected: 4 or 16)");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix: " + prefix + " (expected: 0 to " + network.length * 8 + ")");
        }
        network = mask(network.clone(), prefix);
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException if it is not a literal address with an optional {@code /prefix}
     */
    public static Cidr parse(String text) {
        requireNonNull(text, "text");
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        byte[] address = Addresses.parse(slash < 0 ? trimmed : trimmed.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' (expected: an IP address or CIDR, e.g. 10.0.0.0/8)");
        }
        int prefix = address.length * 8;
        if (slash >= 0) {
            String bits = trimmed.substring(slash + 1);
            if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > prefix) {
                throw new IllegalArgumentException("'" + text + "' (expected: a prefix from 0 to " + prefix + ")");
            }
            prefix = Integer.parseInt(bits);
        }
        return new Cidr(address, prefix);
    }

    /** Tells whether the literal address {@code text} lies in this block; false for anything unparsable. */
    public boolean contains(String text) {
        byte[] address = text == null ? null : Addresses.parse(text.trim());
        if (address == null) {
            return false;
        }
        if (address.length == 16 && network.length == 4 && Addresses.isMappedIpv4(address)) {
            address = Arrays.copyOfRange(address, 12, 16);
        }
        return address.length == network.length && Arrays.equals(mask(address, prefix), network);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && cidr.prefix == prefix && Arrays.equals(cidr.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return Addresses.format(network) + "/" + prefix;
    }

    private static byte[] mask(byte[] address, int prefix) {
        for (int i = 0; i < address.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            address[i] &= (byte) (0xff00 >> keep);
        }
        return address;
    }
}
