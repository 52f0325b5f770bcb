package io.ventra.gateway.proxy.server;

import io.ventra.gateway.core.Admission;

/**
 * What happened to one request, for metrics and the access log.
 *
 * @param requestId      the request id sent upstream and back
 * @param method         request method
 * @param target         request-target as received (may hold a query; log it with care)
 * @param status         status sent to the client; 0 when the connection closed before any response
 * @param admission      the gatekeeper's answer; {@code null} when refused before it was asked (bad framing)
 * @param responseBytes  response body bytes written to the client
 * @param upstreamNanos  time from sending the request upstream to the end of its response; -1 when not sent
 * @param storeNanos     time the rate-limit decision took; -1 when no decision was asked
 * @param totalNanos     time from the request head to the end of the response
 * @param completed      false when the client or the upstream went away before the response ended
 * @param traceparent    the W3C {@code traceparent} sent upstream and back: the client's when valid, else a new one
 */
public record ExchangeRecord(
        String requestId,
        String method,
        String target,
        int status,
        Admission admission,
        long responseBytes,
        long upstreamNanos,
        long storeNanos,
        long totalNanos,
        boolean completed,
        String traceparent) {
}
