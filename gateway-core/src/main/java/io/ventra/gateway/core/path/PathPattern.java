package io.ventra.gateway.core.path;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Matches normalized request paths against a pattern made of {@code /}-separated segments, where {@code *}
 * stands for exactly one segment and {@code **} for any number of segments, none included. So
 * {@code /api/v1/discovery/**} matches {@code /api/v1/discovery}, {@code /api/v1/discovery/} and
 * {@code /api/v1/discovery/a/b}, but not {@code /api/v1/discoveryx}. Matching is case-insensitive, because
 * {@link PathNormalizer} lower-cases the paths it is given.
 */
public final class PathPattern {
    private static final String ANY_SEGMENTS = "**";
    private static final String ONE_SEGMENT = "*";

    private final String text;
    private final String[] segments;

    private PathPattern(String text, String[] segments) {
        this.text = text;
        this.segments = segments;
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException if it does not start with {@code /} or uses {@code *} inside a segment
     */
    public static PathPattern parse(String text) {
        requireNonNull(text, "text");
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("'" + text + "' (expected: a path starting with /)");
        }
        List<String> parts = new ArrayList<>();
        for (String part : text.substring(1).split("/", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.contains("*") && !part.equals(ANY_SEGMENTS) && !part.equals(ONE_SEGMENT)) {
                throw new IllegalArgumentException(
                        "'" + text + "' (expected: * and ** only as whole segments, e.g. /api/**)");
            }
            parts.add(part.toLowerCase(Locale.ROOT));
        }
        return new PathPattern(text, parts.toArray(new String[0]));
    }

    /** Tells whether a path produced by {@link PathNormalizer#normalize} matches. */
    public boolean matches(String normalizedPath) {
        return matches(normalizedPath, 1, 0);
    }

    /** Returns the fixed segments before the first wildcard, as a path, e.g. {@code /api/v1/discovery}. */
    public String literalPrefix() {
        StringBuilder prefix = new StringBuilder();
        for (String segment : segments) {
            if (segment.contains("*")) {
                break;
            }
            prefix.append('/').append(segment);
        }
        return prefix.length() == 0 ? "/" : prefix.toString();
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * Matches the path from index {@code from} against the pattern from segment {@code s}. Walks the path in
     * place instead of splitting it: the gateway calls this for every route and endpoint quota of every
     * request, and splitting allocated about 400 bytes per call.
     */
    private boolean matches(String path, int from, int s) {
        int p = skipSlashes(path, from);
        while (s < segments.length) {
            String segment = segments[s];
            if (segment.equals(ANY_SEGMENTS)) {
                if (s == segments.length - 1) {
                    return true;
                }
                for (int skip = p; ; skip = skipSlashes(path, segmentEnd(path, skip))) {
                    if (matches(path, skip, s + 1)) {
                        return true;
                    }
                    if (skip >= path.length()) {
                        return false;
                    }
                }
            }
            if (p >= path.length()) {
                return false;
            }
            int end = segmentEnd(path, p);
            if (!segment.equals(ONE_SEGMENT)
                    && !(end - p == segment.length() && path.regionMatches(p, segment, 0, end - p))) {
                return false;
            }
            p = skipSlashes(path, end);
            s++;
        }
        return p >= path.length();
    }

    private static int skipSlashes(String path, int from) {
        int i = from;
        while (i < path.length() && path.charAt(i) == '/') {
            i++;
        }
        return i;
    }

    private static int segmentEnd(String path, int from) {
        int slash = path.indexOf('/', from);
        return slash < 0 ? path.length() : slash;
    }
}
