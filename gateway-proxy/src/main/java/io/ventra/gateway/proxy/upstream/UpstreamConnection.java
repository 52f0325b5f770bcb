package io.ventra.gateway.proxy.upstream;

import io.netty.channel.Channel;

/**
 * One upstream connection lent to one exchange.
 *
 * @see UpstreamPool#acquire
 */
public final class UpstreamConnection {
    private final Channel channel;
    private final boolean reused;

    UpstreamConnection(Channel channel, boolean reused) {
        this.channel = channel;
        this.reused = reused;
    }

    public Channel channel() {
        return channel;
    }

    /** Tells whether the connection served an earlier exchange (so it may have been closed by the upstream). */
    public boolean isReused() {
        return reused;
    }

    void attach(UpstreamListener listener) {
        handler().attach(listener);
    }

    void detach() {
        handler().detach();
    }

    /** Stops delivering events to the exchange and closes the connection. */
    public void discard() {
        detach();
        channel.close();
    }

    /**
     * Removes the HTTP handlers after a {@code 101 Switching Protocols}, so that the connection carries raw
     * bytes to whatever handler was added after them; it never goes back to the pool.
     */
    public void removeHttpHandlers() {
        channel.pipeline().remove("idle");
        channel.pipeline().remove("codec");
        channel.pipeline().remove("upstream");
    }

    private UpstreamHandler handler() {
        return channel.pipeline().get(UpstreamHandler.class);
    }
}
