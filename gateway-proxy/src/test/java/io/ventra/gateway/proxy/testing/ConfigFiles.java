package io.ventra.gateway.proxy.testing;

import io.ventra.gateway.core.config.ConfigLoader;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.identity.ApiKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A config file and key file on disk, for tests that need the files themselves (reload, the CLI, a gateway run
 * as a child process), with keys whose value differs from their account name.
 */
public final class ConfigFiles {
    private final Path dir;
    private final Path config;
    private final Path keys;
    private final Map<String, String[]> entries = new LinkedHashMap<>();

    private ConfigFiles(Path dir) {
        this.dir = dir;
        this.config = dir.resolve("gateway.yaml");
        this.keys = dir.resolve("keys.yaml");
    }

    /** Creates the folder with an empty key file. */
    public static ConfigFiles in(Path dir) {
        ConfigFiles files = new ConfigFiles(dir);
        files.writeKeys();
        return files;
    }

    public Path dir() {
        return dir;
    }

    public Path config() {
        return config;
    }

    public Path keys() {
        return keys;
    }

    /** Adds a key (its SHA-256 is stored, never the key) for {@code account} on {@code plan}. */
    public ConfigFiles key(String key, String account, String plan) {
        entries.put(key, new String[] {account, plan});
        writeKeys();
        return this;
    }

    /** Writes the config; {@code UPSTREAM} is replaced by {@code http://127.0.0.1:<upstreamPort>}. */
    public ConfigFiles write(String yaml, int upstreamPort) {
        write(config, yaml.replace("UPSTREAM", "http://127.0.0.1:" + upstreamPort));
        return this;
    }

    /** Loads the config as the gateway would, with no environment variables. */
    public GatewayConfig load() {
        return ConfigLoader.withEnvironment(name -> null).load(config);
    }

    private void writeKeys() {
        StringBuilder text = new StringBuilder(entries.isEmpty() ? "keys: []\n" : "keys:\n");
        entries.forEach((key, value) -> text.append("  - { sha256: ").append(ApiKeys.hash(key))
                .append(", account: ").append(value[0]).append(", plan: ").append(value[1]).append(" }\n"));
        write(keys, text.toString());
    }

    private static void write(Path file, String text) {
        try {
            // Write then move, as editors and ConfigMaps do, so that no reader sees half a file.
            Path temp = Files.createTempFile(file.getParent(), ".tmp-", ".yaml");
            Files.writeString(temp, text);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
