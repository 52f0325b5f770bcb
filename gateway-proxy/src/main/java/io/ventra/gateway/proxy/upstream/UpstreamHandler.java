package io.ventra.gateway.proxy.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * Last handler of an upstream connection's pipeline (after {@code HttpClientCodec} and an idle timer). Passes
 * the response to the exchange that owns the connection and drops 1xx interim responses (the gateway answers
 * {@code 100 Continue} itself), except a 101 that the exchange asked for: from then on it passes everything on
 * to the WebSocket tunnel. A connection with no owner that receives bytes or sits idle too long is closed.
 * All state is confined to the connection's event loop.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private UpstreamListener listener;
    private boolean skippingInterim;
    private boolean switched;

    void attach(UpstreamListener newListener) {
        this.listener = newListener;
        this.skippingInterim = false;
    }

    void detach() {
        this.listener = null;
    }

    boolean isAttached() {
        return listener != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (switched) {
            // After a 101 the bytes belong to the tunnel further down the pipeline.
            if (msg instanceof LastHttpContent) {
                ReferenceCountUtil.release(msg);
            } else {
                ctx.fireChannelRead(msg);
            }
            return;
        }
        if (listener == null || !(msg instanceof HttpObject)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse) {
            HttpResponse response = (HttpResponse) msg;
            if (response.status().code() == 101 && listener.acceptsSwitchingProtocols()) {
                switched = true;
                UpstreamListener current = listener;
                listener = null;
                current.onResponse(response);
                return;
            }
            skippingInterim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (skippingInterim) {
                ReferenceCountUtil.release(msg);
                ctx.read();
                return;
            }
            listener.onResponse(response);
        }
        if (msg instanceof HttpContent) {
            if (skippingInterim) {
                skippingInterim = !(msg instanceof LastHttpContent);
                ReferenceCountUtil.release(msg);
                ctx.read();
                return;
            }
            listener.onContent((HttpContent) msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.onWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (switched) {
            ctx.fireChannelInactive();
            return;
        }
        UpstreamListener current = listener;
        listener = null;
        if (current != null) {
            current.onFailure(new IOException("Upstream closed the connection"));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && listener == null && !switched) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (switched) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        UpstreamListener current = listener;
        listener = null;
        ctx.close();
        if (current != null) {
            current.onFailure(cause);
        }
    }
}
