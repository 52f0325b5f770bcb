package io.ventra.gateway.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.ventra.gateway.core.config.ProxyConfig;
import java.util.List;

/**
 * Netty's request decoder, held to RFC 9112 where Netty is lenient. First in the client pipeline (inside the
 * {@code codec} handler). Netty already rejects bad header names, control characters in values, bare LF, two
 * Content-Length values and Content-Length with Transfer-Encoding; this decoder also scans the raw bytes of
 * each request head and fails the request (the proxy answers 400 and closes) for an obs-fold or whitespace
 * before a header name (§5.2, §2.2), a bare CR, a control or non-ASCII byte in the request line, a request
 * line not split by exactly two single spaces (§3), an HTTP-version other than {@code HTTP/1.0} or
 * {@code HTTP/1.1} (505 for other numbers), and a request-target that is not origin-form (or {@code *} for
 * OPTIONS) or holds a bad {@code %} escape or a character outside RFC 3986 in its path.
 *
 * <p>It fires {@link #HEAD_STARTED} when the first byte of a request head arrives, so that the proxy can start
 * the header-read timer. All state is confined to the channel's event loop.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
    /** User event: the first bytes of a new request head arrived. */
    static final Object HEAD_STARTED = new Object() {
        @Override
        public String toString() {
            return "HEAD_STARTED";
        }
    };

    private static final byte SP = ' ';
    private static final byte HT = '\t';
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private boolean inHead = true;
    private boolean headStarted;
    private int line;
    private int column;
    private int spaces;
    private byte previous = LF;
    private String violation;
    private boolean failed;

    StrictRequestDecoder(ProxyConfig config) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxInitialLineBytes())
                .setMaxHeaderSize(config.maxHeaderBytes())
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true)
                .setValidateHeaders(true));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (failed) {
            // The connection is closing after a 400; whatever else arrives is dropped unread.
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        boolean scanning = inHead;
        if (scanning && !headStarted && buffer.isReadable()) {
            headStarted = true;
            ctx.fireUserEventTriggered(HEAD_STARTED);
        }
        int start = buffer.readerIndex();
        int before = out.size();
        super.decode(ctx, buffer, out);
        if (scanning) {
            // The decoder returns right after a head, so what it consumed in this call is head bytes only.
            scan(buffer, start, buffer.readerIndex());
        }
        for (int i = before; i < out.size(); i++) {
            Object message = out.get(i);
            if (message instanceof HttpRequest request) {
                fail(request);
                inHead = false;
            }
            if (message instanceof LastHttpContent) {
                startHead();
            }
        }
        if (inHead && violation != null) {
            // No need to wait for the rest of a head that is already invalid (it may never end).
            HttpRequest invalid = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
            invalid.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(violation)));
            out.add(invalid);
            failed = true;
            buffer.skipBytes(buffer.readableBytes());
        }
    }

    @Override
    protected HttpMessage createMessage(String[] initialLine) {
        String version = initialLine[2];
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            if (version.matches("HTTP/[0-9]\\.[0-9]")) {
                throw new UnsupportedVersionException(version);
            }
            throw new IllegalArgumentException("Invalid HTTP-version");
        }
        HttpMethod method = HttpMethod.valueOf(initialLine[0]);
        String target = initialLine[1];
        String problem = Targets.check(method, target);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new DefaultHttpRequest(HttpVersion.valueOf(version), method, target, headersFactory);
    }

    private void fail(HttpRequest request) {
        if (violation != null && request.decoderResult().isSuccess()) {
            request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(violation)));
        }
    }

    private void startHead() {
        inHead = true;
        headStarted = false;
        line = 0;
        column = 0;
        spaces = 0;
        previous = LF;
        violation = null;
    }

    private void scan(ByteBuf buffer, int from, int to) {
        for (int i = from; i < to && violation == null; i++) {
            scanByte(buffer.getByte(i));
        }
    }

    private void scanByte(byte b) {
        if (previous == CR && b != LF) {
            violation = "A bare CR is not a line ending";
        } else if (b == LF) {
            endLine();
        } else if (b == CR) {
            // Checked with the next byte.
        } else if (line == 0) {
            requestLineByte(b);
        } else {
            headerLineByte(b);
        }
        previous = b;
    }

    private void endLine() {
        if (previous != CR) {
            violation = "A bare LF is not a line ending";
        } else if (line == 0 && column == 0) {
            // RFC 9112 §2.2: an empty line before the request line is ignored.
            return;
        } else if (line == 0 && spaces != 2) {
            violation = "The request line needs exactly two single spaces";
        }
        line++;
        column = 0;
    }

    private void requestLineByte(byte b) {
        if (b == SP) {
            if (column == 0 || previous == SP) {
                violation = "The request line has extra whitespace";
            }
            spaces++;
        } else if (b < 0x21 || b == 0x7f) {
            violation = "The request line holds a control or non-ASCII character";
        }
        column++;
    }

    private void headerLineByte(byte b) {
        if (column == 0 && (b == SP || b == HT)) {
            violation = "Obsolete line folding or whitespace before a header name";
        } else if ((b & 0xff) < 0x20 && b != HT || b == 0x7f) {
            violation = "A header holds a control character";
        }
        column++;
    }

    /** A well-formed HTTP-version other than 1.0 and 1.1. */
    static final class UnsupportedVersionException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnsupportedVersionException(String version) {
            super("Unsupported " + version);
        }
    }
}
