package io.ventra.gateway.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one YAML node strictly, recording each problem with its path instead of throwing, so that one run
 * reports every error in the file. Values pass through {@link EnvExpander} first.
 */
final class YamlNode {
    private final JsonNode node;
    private final String path;
    private final List<String> errors;
    private final EnvExpander env;

    YamlNode(JsonNode node, String path, List<String> errors, EnvExpander env) {
        this.node = node;
        this.path = path;
        this.errors = errors;
        this.env = env;
    }

    String path() {
        return path;
    }

    boolean isMissing() {
        return node == null || node.isMissingNode() || node.isNull();
    }

    boolean isObject() {
        return node != null && node.isObject();
    }

    boolean isArray() {
        return node != null && node.isArray();
    }

    boolean has(String key) {
        return isObject() && node.has(key) && !node.get(key).isNull();
    }

    YamlNode get(String key) {
        return new YamlNode(isObject() ? node.get(key) : null, child(key), errors, env);
    }

    void error(String message) {
        errors.add(path + ": " + message);
    }

    /** Records an error for every key that is not in {@code allowed}; returns false if this is not a map. */
    boolean expectObject(Set<String> allowed) {
        if (isMissing()) {
            return false;
        }
        if (!isObject()) {
            error("expected a map of settings");
            return false;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(child(name) + ": unknown setting (expected one of: " + String.join(", ", allowed)
                        + ")");
            }
        }
        return true;
    }

    /** Returns the entries of a map in file order. */
    Map<String, YamlNode> entries() {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        if (isObject()) {
            node.fields().forEachRemaining(e -> entries.put(e.getKey(),
                    new YamlNode(e.getValue(), child(e.getKey()), errors, env)));
        } else if (!isMissing()) {
            error("expected a map");
        }
        return entries;
    }

    /** Returns the items of a list. */
    List<YamlNode> items() {
        List<YamlNode> items = new ArrayList<>();
        if (isArray()) {
            for (int i = 0; i < node.size(); i++) {
                items.add(new YamlNode(node.get(i), path + "[" + i + "]", errors, env));
            }
        } else if (!isMissing()) {
            error("expected a list");
        }
        return items;
    }

    Optional<String> text() {
        if (isMissing()) {
            return Optional.empty();
        }
        if (!node.isValueNode()) {
            error("expected a single value");
            return Optional.empty();
        }
        try {
            return Optional.of(env.expand(node.asText()));
        } catch (IllegalArgumentException e) {
            error(e.getMessage());
            return Optional.empty();
        }
    }

    String requiredText() {
        if (isMissing()) {
            error("required");
            return null;
        }
        return text().orElse(null);
    }

    String text(String defaultValue) {
        return text().orElse(defaultValue);
    }

    /** Reads a whole number in [min, max]; text such as {@code "${PORT:-8080}"} is accepted once expanded. */
    Optional<Long> number(long min, long max) {
        if (isMissing()) {
            return Optional.empty();
        }
        long value;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.asLong();
        } else if (node.isTextual()) {
            Optional<String> text = text();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                value = Long.parseLong(text.get().trim());
            } catch (NumberFormatException e) {
                error(quote(text.get()) + " (expected: a whole number from " + min + " to " + max + ")");
                return Optional.empty();
            }
        } else {
            error(node.toString() + " (expected: a whole number from " + min + " to " + max + ")");
            return Optional.empty();
        }
        if (value < min || value > max) {
            error(value + " (expected: a whole number from " + min + " to " + max + ")");
            return Optional.empty();
        }
        return Optional.of(value);
    }

    long number(long min, long max, long defaultValue) {
        return isMissing() ? defaultValue : number(min, max).orElse(defaultValue);
    }

    Optional<Duration> duration(Duration min, Duration max) {
        Optional<String> text = text();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Duration value;
        try {
            value = Durations.parse(text.get());
        } catch (IllegalArgumentException e) {
            error(e.getMessage());
            return Optional.empty();
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            error(quote(text.get()) + " (expected: from " + Durations.format(min) + " to "
                    + Durations.format(max) + ")");
            return Optional.empty();
        }
        return Optional.of(value);
    }

    Duration duration(Duration min, Duration max, Duration defaultValue) {
        return isMissing() ? defaultValue : duration(min, max).orElse(defaultValue);
    }

    Optional<Boolean> bool() {
        Optional<String> text = text();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        switch (text.get()) {
            case "true":
                return Optional.of(true);
            case "false":
                return Optional.of(false);
            default:
                error(quote(text.get()) + " (expected: true or false)");
                return Optional.empty();
        }
    }

    boolean bool(boolean defaultValue) {
        return bool().orElse(defaultValue);
    }

    /** Reads one of {@code choices} (lower-case, dashes), returning the matching enum constant. */
    <E extends Enum<E>> E choice(Class<E> type, E defaultValue) {
        Optional<String> text = text();
        if (text.isEmpty()) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (yamlName(constant).equals(text.get())) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(yamlName(constant));
        }
        error(quote(text.get()) + " (expected one of: " + String.join(", ", names) + ")");
        return defaultValue;
    }

    static String yamlName(Enum<?> constant) {
        return constant.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String quote(String value) {
        String shown = value.length() > 60 ? value.substring(0, 60) + "…" : value;
        return "'" + shown + "'";
    }
}
