package io.ventra.gateway.core.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-default}} in configuration values, so secrets and addresses stay
 * out of the file. {@code $${} writes a literal {@code ${}. A variable that is unset (or empty) and has no
 * default is an error, never a silent empty string.
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
        while (matcher.find()) {
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
        matcher.appendTail(out);
        return out.toString();
    }
}
