package io.ventra.gateway.core.store;

/**
 * What one bucket said about taking one token.
 *
 * @param consumed         whether the token was taken
 * @param remaining        tokens left afterwards
 * @param nanosToNextToken when not consumed, time until a token is available; else 0
 * @param nanosToFull      time until the bucket is full again
 */
public record Probe(boolean consumed, long remaining, long nanosToNextToken, long nanosToFull) {
}
