package io.ventra.gateway.proxy.reload;

import java.util.List;

/**
 * What one configuration reload did.
 *
 * @param applied  true when the new configuration is being served; false when it was rejected and the previous
 *                 one is still served
 * @param changes  the limit changes applied (plans, endpoint quotas, routes, keys), empty when none
 * @param warnings settings that cannot change while running and were kept at their old value
 * @param errors   why the file was rejected, each with its YAML path; empty when applied
 */
public record ReloadResult(boolean applied, List<String> changes, List<String> warnings, List<String> errors) {
    public ReloadResult {
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
        errors = List.copyOf(errors);
    }

    static ReloadResult rejected(List<String> errors) {
        return new ReloadResult(false, List.of(), List.of(), errors);
    }
}
