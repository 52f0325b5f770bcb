package io.ventra.gateway.core.config;

import java.util.List;

/**
 * Signals that a configuration file is invalid. Carries every problem found, each naming its YAML path,
 * e.g. {@code plans.free.period: required}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public ConfigException(String error) {
        this(List.of(error));
    }

    /** Returns every problem found, one line each, in file order. */
    public List<String> errors() {
        return errors;
    }
}
