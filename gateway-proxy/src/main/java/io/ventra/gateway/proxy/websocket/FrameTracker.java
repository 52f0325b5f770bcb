package io.ventra.gateway.proxy.websocket;

import io.netty.buffer.ByteBuf;

/**
 * Follows the WebSocket frame headers in one direction of a tunnel (RFC 6455 §5.2) without copying anything, so
 * that the gateway knows whether the bytes relayed so far end on a frame boundary, where it may insert a close
 * frame of its own. Confined to the tunnel's event loop.
 */
final class FrameTracker {
    private final byte[] header = new byte[14];
    private int headerLength;
    private int headerNeeded = 2;
    private long payloadLeft;

    /** Accounts for the readable bytes of {@code buffer}, which is about to be relayed. */
    void track(ByteBuf buffer) {
        int index = buffer.readerIndex();
        int end = buffer.writerIndex();
        while (index < end) {
            if (payloadLeft > 0) {
                int skip = (int) Math.min(payloadLeft, end - index);
                index += skip;
                payloadLeft -= skip;
                continue;
            }
            header[headerLength++] = buffer.getByte(index++);
            if (headerLength == 2) {
                int length = header[1] & 0x7f;
                headerNeeded = 2 + ((header[1] & 0x80) != 0 ? 4 : 0) + (length == 126 ? 2 : length == 127 ? 8 : 0);
            }
            if (headerLength == headerNeeded) {
                payloadLeft = payloadLength();
                headerLength = 0;
                headerNeeded = 2;
            }
        }
    }

    /** Tells whether everything tracked so far ends with a complete frame. */
    boolean atBoundary() {
        return headerLength == 0 && payloadLeft == 0;
    }

    private long payloadLength() {
        int length = header[1] & 0x7f;
        if (length < 126) {
            return length;
        }
        int bytes = length == 126 ? 2 : 8;
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = value << 8 | header[2 + i] & 0xff;
        }
        return value & Long.MAX_VALUE;
    }
}
