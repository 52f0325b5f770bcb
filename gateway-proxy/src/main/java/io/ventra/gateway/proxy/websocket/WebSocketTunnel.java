package io.ventra.gateway.proxy.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pipes the bytes of an upgraded WebSocket connection both ways once the HTTP codecs are gone, reading from
 * one side only after the previous write to the other side was flushed (backpressure without buffering). The
 * gateway does not parse messages; it only follows frame headers so that {@link #drain} can end both sides
 * with a close frame 1001 (going away) at a frame boundary, or just close a side that is mid-frame. Both
 * channels share one event loop, so nothing here is volatile.
 */
public final class WebSocketTunnel {
    private static final int GOING_AWAY = 1001;

    private final Channel client;
    private final Channel upstream;
    private final FrameTracker toClient = new FrameTracker();
    private final FrameTracker toUpstream = new FrameTracker();
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private boolean started;
    private boolean closed;

    private WebSocketTunnel(Channel client, Channel upstream) {
        this.client = client;
        this.upstream = upstream;
    }

    /**
     * Starts a tunnel, adding its relay as the last handler of the upstream pipeline; bytes from the upstream
     * are held until {@link #start}. Call on the channels' event loop.
     */
    public static WebSocketTunnel open(Channel client, Channel upstream) {
        WebSocketTunnel tunnel = new WebSocketTunnel(client, upstream);
        upstream.pipeline().addLast("tunnel", tunnel.new UpstreamRelay());
        return tunnel;
    }

    /** Begins relaying, once both channels carry raw bytes (their HTTP codecs removed). */
    public void start() {
        started = true;
        ByteBuf buffer;
        while ((buffer = held.poll()) != null) {
            toClientWrite(buffer, false);
        }
        client.writeAndFlush(Unpooled.EMPTY_BUFFER);
        client.read();
        upstream.read();
    }

    /** Relays what the client sent (called by the client-side handler). */
    public void fromClient(Object msg) {
        if (closed || !(msg instanceof ByteBuf buffer)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        toUpstream.track(buffer);
        upstream.writeAndFlush(buffer).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                client.read();
            } else {
                close();
            }
        });
    }

    /** Ends both sides with a close frame 1001 where a frame boundary allows it, then closes them. */
    public void drain() {
        if (closed) {
            return;
        }
        closed = true;
        releaseHeld();
        closeWithFrame(client, toClient.atBoundary(), false);
        closeWithFrame(upstream, toUpstream.atBoundary(), true);
    }

    /** Closes both sides (one of them went away). */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        releaseHeld();
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        upstream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void toClientWrite(ByteBuf buffer, boolean flush) {
        toClient.track(buffer);
        ChannelFutureListener next = f -> {
            if (f.isSuccess()) {
                upstream.read();
            } else {
                close();
            }
        };
        if (flush) {
            client.writeAndFlush(buffer).addListener(next);
        } else {
            client.write(buffer);
        }
    }

    private void releaseHeld() {
        ByteBuf buffer;
        while ((buffer = held.poll()) != null) {
            buffer.release();
        }
    }

    private static void closeWithFrame(Channel channel, boolean atBoundary, boolean masked) {
        if (!atBoundary || !channel.isActive()) {
            channel.close();
            return;
        }
        channel.writeAndFlush(closeFrame(masked)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Returns a close frame with status 1001; frames towards a server must be masked (RFC 6455 §5.3). */
    static ByteBuf closeFrame(boolean masked) {
        byte[] payload = {(byte) (GOING_AWAY >> 8), (byte) GOING_AWAY};
        if (!masked) {
            return Unpooled.wrappedBuffer(new byte[] {(byte) 0x88, 2, payload[0], payload[1]});
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        return Unpooled.wrappedBuffer(new byte[] {(byte) 0x88, (byte) 0x82, mask[0], mask[1], mask[2], mask[3],
            (byte) (payload[0] ^ mask[0]), (byte) (payload[1] ^ mask[1])});
    }

    /** Last handler of the upstream pipeline after the upgrade. */
    private final class UpstreamRelay extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (closed || !(msg instanceof ByteBuf buffer)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (!started) {
                held.add(buffer);
                return;
            }
            toClientWrite(buffer, true);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            close();
        }
    }
}
