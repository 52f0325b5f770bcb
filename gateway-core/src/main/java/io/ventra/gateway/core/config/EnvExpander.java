package io.ventra.gateway.core.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-default}} in configuration values, so secrets and addresses stay
 * out of the file. {@code $${} writes a literal {@code ${}. A variable that is unset (or empty) and has no
 * default is an error, never a silent empty string, and so is a {@code ${} that is not a well-formed reference.
 */
final class EnvExpander {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private final Function<String, String> environment;

    EnvExpander(Function<String, String> environment) {
        this.environment = environment;
    }

    /**
     * Returns {@code value} with every reference replaced.
     *
     * @throws IllegalArgumentException naming the variable when one is unset and has no default
     */
    String expand(String value) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        int end = 0;
        while (matcher.find()) {
            rejectMalformed(value, end, matcher.start());
            end = matcher.end();
            String replacement;
            if (matcher.group(1) == null) {
                replacement = "${";
            } else {
                String found = environment.apply(matcher.group(1));
                if (found == null || found.isEmpty()) {
                    if (matcher.group(2) == null) {
                        throw new IllegalArgumentException("environment variable " + matcher.group(1)
                                + " is not set (expected: set it, or write ${" + matcher.group(1) + ":-default})");
                    }
                    found = matcher.group(3);
                }
                replacement = found;
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        rejectMalformed(value, end, value.length());
        matcher.appendTail(out);
        return out.toString();
    }

    /** A {@code ${} that is not a reference is a typo; kept as text it would become a wrong value silently. */
    private static void rejectMalformed(String value, int from, int to) {
        int at = value.indexOf("${", from);
        if (at >= 0 && at < to) {
            String shown = value.substring(at, Math.min(value.length(), at + 40));
            throw new IllegalArgumentException("malformed variable reference '" + shown + "' (expected: ${NAME} or "
                    + "${NAME:-default}; write $${ for a literal ${)");
        }
    }
}
