package io.ventra.gateway.proxy.server;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.ventra.gateway.core.headers.Problem;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refuses request heads whose framing or syntax is ambiguous (RFC 9112 §6), so that nothing two parsers could
 * read differently is ever forwarded: a decoder failure, several or invalid {@code Content-Length} values,
 * {@code Content-Length} together with {@code Transfer-Encoding}, a transfer coding other than exactly
 * {@code chunked}, or an HTTP/1.1 request without {@code Host}. Each answer closes the connection. The raw
 * syntax checks Netty leaves out (obs-fold, bare CR, request-line whitespace, request-target characters) are
 * made by {@link StrictRequestDecoder}, which fails the request head so that it ends up here.
 */
final class Framing {
    /** A DNS name or IPv4 address, or a bracketed IPv6 literal, with an optional port (RFC 3986 §3.2.2). */
    private static final Pattern VALID_HOST =
            Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})?|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{1,5})?");

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private Framing() {
    }

    /** Returns the problem to answer with, or {@code null} when the head is acceptable. */
    static Problem check(HttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            return decoderProblem(result.cause());
        }
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1) {
            return Problem.of(505, "HTTP Version Not Supported", "Only HTTP/1.0 and HTTP/1.1 are supported.");
        }
        HttpHeaders headers = request.headers();
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (lengths.size() > 1) {
            return bad("The request has more than one Content-Length header.");
        }
        if (lengths.size() == 1 && !lengths.get(0).matches("[0-9]{1,18}")) {
            return bad("The Content-Length header is not a valid length.");
        }
        if (!codings.isEmpty()) {
            if (!lengths.isEmpty()) {
                return bad("The request has both Content-Length and Transfer-Encoding.");
            }
            if (codings.size() != 1 || !codings.get(0).trim().equalsIgnoreCase("chunked")) {
                return bad("Transfer-Encoding must be exactly 'chunked'.");
            }
            if (version.minorVersion() == 0) {
                return bad("Transfer-Encoding is not allowed in HTTP/1.0.");
            }
        }
        if (version.minorVersion() == 1 && headers.getAll(HttpHeaderNames.HOST).size() != 1) {
            return bad("An HTTP/1.1 request needs exactly one Host header.");
        }
        String host = headers.get(HttpHeaderNames.HOST);
        if (host != null && !VALID_HOST.matcher(host).matches()) {
            // RFC 9112 §3.2: an invalid Host is a 400, never passed on to poison X-Forwarded-Host upstream.
            return bad("The Host header is not a valid host[:port].");
        }
        return null;
    }

    /**
     * Returns why an upstream response head cannot be relayed, or {@code null} when it is sound. Responses are
     * held to the request rules: a decoder failure, several or invalid {@code Content-Length} values, or a
     * transfer coding other than exactly {@code chunked} makes the gateway answer 502 and drop the connection.
     */
    static String checkResponse(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            return "undecodable response: " + response.decoderResult().cause().getMessage();
        }
        if (response.protocolVersion().majorVersion() != 1) {
            return "unsupported version " + response.protocolVersion();
        }
        HttpHeaders headers = response.headers();
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (lengths.size() > 1 || lengths.size() == 1 && !lengths.get(0).matches("[0-9]{1,18}")) {
            return "bad Content-Length";
        }
        if (!codings.isEmpty() && (codings.size() != 1 || !codings.get(0).trim().equalsIgnoreCase("chunked"))) {
            return "Transfer-Encoding other than chunked";
        }
        for (Map.Entry<String, String> header : headers) {
            if (!TOKEN.matcher(header.getKey()).matches() || hasControl(header.getValue())) {
                return "invalid header field";
            }
        }
        return null;
    }

    private static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static Problem decoderProblem(Throwable cause) {
        if (cause instanceof StrictRequestDecoder.UnsupportedVersionException) {
            return Problem.of(505, "HTTP Version Not Supported", "Only HTTP/1.0 and HTTP/1.1 are supported.");
        }
        if (cause instanceof TooLongHttpLineException) {
            return Problem.of(414, "URI Too Long", "The request line is longer than the configured maximum.");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return Problem.of(431, "Request Header Fields Too Large",
                    "The request headers are larger than the configured maximum.");
        }
        if (cause instanceof TooLongFrameException) {
            return bad("A part of the request is longer than the configured maximum.");
        }
        return bad("The request is not valid HTTP/1.1.");
    }

    private static Problem bad(String detail) {
        return Problem.of(400, "Bad Request", detail);
    }
}
