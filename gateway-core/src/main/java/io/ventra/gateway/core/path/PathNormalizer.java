package io.ventra.gateway.core.path;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Turns a request-target into the path used for route and quota matching, so that every spelling of a URL
 * that an upstream would treat as the same resource matches the same way. The request-target itself is
 * forwarded unchanged; only matching uses this form.
 *
 * <p>Steps: drop the query; drop {@code ;parameters} from each segment; decode percent-escapes of unreserved
 * characters (RFC 3986 §2.3: letters, digits, {@code -._~}) while keeping other escapes encoded; merge repeated
 * slashes; resolve {@code .} and {@code ..} segments (RFC 3986 §5.2.4, never above the root); lower-case the
 * result. Example: {@code /API/v1/./x/../%64iscovery;a=b?q} becomes {@code /api/v1/discovery}.
 *
 * <p>Spellings that upstreams read in different ways are refused instead of guessed at, because each could
 * route a request past a quota: an encoded slash, backslash or NUL ({@code %2F}, {@code %5C}, {@code %00}), a
 * raw backslash, a fragment ({@code #}, never part of a request-target), a target starting with {@code //}
 * (a network-path reference to some URL parsers), a dot segment carrying parameters ({@code ..;}), and an
 * encoded delimiter ({@code %3B}, {@code %3F}, {@code %23}) that a decoding upstream would split on.
 */
public final class PathNormalizer {
    private PathNormalizer() {
    }

    /**
     * Normalizes a request-target in origin form ({@code /path?query}) or absolute form.
     *
     * @return the normalized path, or {@code null} when the target is malformed or ambiguous (a bad {@code %}
     *         escape, a control character, not starting with {@code /}, or one of the spellings refused above)
     */
    public static String normalize(String target) {
        String path = stripToPath(target);
        if (path == null) {
            return null;
        }
        Deque<String> out = new ArrayDeque<>();
        int start = 1;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                String segment = decodeSegment(path, start, i);
                if (segment == null) {
                    return null;
                }
                if (segment.equals("..")) {
                    out.pollLast();
                } else if (!segment.isEmpty() && !segment.equals(".")) {
                    out.addLast(segment);
                }
                start = i + 1;
            }
        }
        boolean trailingSlash = path.length() > 1 && path.endsWith("/") && !out.isEmpty();
        StringBuilder result = new StringBuilder(path.length());
        for (String segment : out) {
            result.append('/').append(segment);
        }
        if (result.length() == 0 || trailingSlash) {
            result.append('/');
        }
        return result.toString().toLowerCase(Locale.ROOT);
    }

    private static String stripToPath(String target) {
        if (target == null || target.isEmpty()) {
            return null;
        }
        String path = target;
        if (path.startsWith("//")) {
            return null;
        }
        if (!path.startsWith("/")) {
            int scheme = path.indexOf("://");
            if (scheme < 0) {
                return null;
            }
            // The authority ends at the first '/', '?' or '#'; "http://host?x=/a" has the path "/", not "/a".
            int authorityEnd = scheme + 3;
            while (authorityEnd < path.length() && "/?#".indexOf(path.charAt(authorityEnd)) < 0) {
                authorityEnd++;
            }
            boolean hasPath = authorityEnd < path.length() && path.charAt(authorityEnd) == '/';
            path = hasPath ? path.substring(authorityEnd) : "/";
        }
        int end = path.length();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '?') {
                end = i;
                break;
            }
            if (c <= 0x20 || c >= 0x7f || c == '#' || c == '\\') {
                return null;
            }
        }
        return path.substring(0, end);
    }

    private static String decodeSegment(String path, int from, int to) {
        StringBuilder segment = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c == ';') {
                String name = segment.toString();
                return name.equals(".") || name.equals("..") ? null : name;
            }
            if (c != '%') {
                segment.append(c);
                continue;
            }
            if (i + 2 >= to) {
                return null;
            }
            int high = Character.digit(path.charAt(i + 1), 16);
            int low = Character.digit(path.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return null;
            }
            char decoded = (char) (high * 16 + low);
            if (decoded == '/' || decoded == '\\' || decoded == 0 || decoded == ';' || decoded == '?'
                    || decoded == '#') {
                return null;
            }
            if (isUnreserved(decoded)) {
                segment.append(decoded);
            } else {
                segment.append('%').append(Character.toUpperCase(path.charAt(i + 1)))
                        .append(Character.toUpperCase(path.charAt(i + 2)));
            }
            i += 2;
        }
        return segment.toString();
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
