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
        return matches(split(normalizedPath), 0, 0);
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

    private boolean matches(String[] path, int p, int s) {
        while (s < segments.length) {
            String segment = segments[s];
            if (segment.equals(ANY_SEGMENTS)) {
                if (s == segments.length - 1) {
                    return true;
                }
                for (int skip = p; skip <= path.length; skip++) {
                    if (matches(path, skip, s + 1)) {
                        return true;
                    }
                }
                return false;
            }
            if (p >= path.length || !(segment.equals(ONE_SEGMENT) || segment.equals(path[p]))) {
                return false;
            }
            p++;
            s++;
        }
        return p == path.length;
    }

    private static String[] split(String path) {
        List<String> parts = new ArrayList<>(8);
        int start = 1;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i > start) {
                    parts.add(path.substring(start, i));
                }
                start = i + 1;
            }
        }
        return parts.toArray(new String[0]);
    }
}
