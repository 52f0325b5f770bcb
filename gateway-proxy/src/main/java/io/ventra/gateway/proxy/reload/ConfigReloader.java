package io.ventra.gateway.proxy.reload;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ventra.gateway.core.config.ConfigException;
import io.ventra.gateway.core.config.ConfigLoader;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.config.ServerConfig;
import io.ventra.gateway.proxy.server.GatewayServer;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration while the gateway serves: when the config file or the key file changes (watched, and
 * debounced so that an editor's several writes make one reload), on SIGHUP, and on {@code POST /admin/reload}.
 *
 * <p>Each reload validates the whole file first. A rejected file changes nothing: the previous configuration is
 * still served and the errors are logged with their YAML paths. An accepted one is swapped in atomically (see
 * {@link GatewayServer#swapConfig}); the log names each limit that changed. Settings that cannot change while
 * running (listeners, I/O threads, the store and the proxy section) keep their old value, with a warning.
 *
 * <p>Reloads run one at a time on their own thread, never on an event loop.
 */
public final class ConfigReloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);
    private static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(300);

    private final GatewayServer server;
    private final Path configFile;
    private final ConfigLoader loader;
    private final Duration debounce;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> daemon(r, "ventra-reload"));
    private volatile WatchService watcher;
    private volatile byte[] fingerprint;
    private volatile boolean closed;

    private ConfigReloader(GatewayServer server, Path configFile, ConfigLoader loader, Duration debounce) {
        this.server = server;
        this.configFile = configFile.toAbsolutePath();
        this.loader = loader;
        this.debounce = debounce;
        this.fingerprint = fingerprint();
    }

    /**
     * Creates a reloader for {@code server}, registers it for {@code POST /admin/reload}, and, when
     * {@code watch} is true, starts watching the config file and its key file.
     */
    public static ConfigReloader start(GatewayServer server, Path configFile, ConfigLoader loader, boolean watch) {
        return start(server, configFile, loader, watch, DEFAULT_DEBOUNCE);
    }

    /** As {@link #start(GatewayServer, Path, ConfigLoader, boolean)}, with the quiet time a change needs. */
    public static ConfigReloader start(GatewayServer server, Path configFile, ConfigLoader loader, boolean watch,
            Duration debounce) {
        ConfigReloader reloader = new ConfigReloader(requireNonNull(server, "server"),
                requireNonNull(configFile, "configFile"), requireNonNull(loader, "loader"),
                requireNonNull(debounce, "debounce"));
        server.reloader(reloader);
        if (watch) {
            reloader.watch();
        }
        return reloader;
    }

    /**
     * Reloads on the reload thread.
     *
     * @param trigger what asked, for the log: {@code file change}, {@code SIGHUP}, {@code admin API}
     * @return completes with the result; never fails
     */
    public CompletableFuture<ReloadResult> reload(String trigger) {
        requireNonNull(trigger, "trigger");
        try {
            return CompletableFuture.supplyAsync(() -> reloadNow(trigger), worker);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(ReloadResult.rejected(List.of("the gateway is stopping")));
        }
    }

    /** Stops watching and refuses later reloads; a reload already running finishes. */
    @Override
    public void close() {
        closed = true;
        worker.shutdown();
        WatchService current = watcher;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                log.debug("Failed to close the config watcher", e);
            }
        }
    }

    private ReloadResult reloadNow(String trigger) {
        byte[] seen = fingerprint();
        GatewayConfig loaded;
        try {
            loaded = loader.load(configFile);
        } catch (ConfigException e) {
            return reject(trigger, e.errors(), seen);
        } catch (RuntimeException e) {
            return reject(trigger, List.of(e.toString()), seen);
        }
        if (closed) {
            return ReloadResult.rejected(List.of("the gateway is stopping"));
        }
        GatewayConfig current = server.config();
        List<String> warnings = new ArrayList<>();
        GatewayConfig merged = keepFixedSettings(current, loaded, warnings);
        List<String> changes = ConfigDiff.of(current, merged);
        server.swapConfig(merged);
        fingerprint = seen;
        server.metrics().onReload("success");
        for (String warning : warnings) {
            log.warn("Kept a setting that cannot change while running: {}", warning);
        }
        log.info("Reloaded the configuration from {} ({}): {}", configFile, trigger,
                changes.isEmpty() ? "no changes to limits, routes or keys" : String.join("; ", changes));
        return new ReloadResult(true, changes, warnings, List.of());
    }

    private ReloadResult reject(String trigger, List<String> errors, byte[] seen) {
        // Remember the broken file, so that the watcher does not retry it until it changes again.
        fingerprint = seen;
        server.metrics().onReload("failure");
        log.warn("Rejected the configuration in {} ({}); still serving the previous one. {} error(s): {}",
                configFile, trigger, errors.size(), String.join("; ", errors));
        return ReloadResult.rejected(errors);
    }

    /** Returns {@code loaded} with the settings that cannot change while running taken from {@code current}. */
    static GatewayConfig keepFixedSettings(GatewayConfig current, GatewayConfig loaded, List<String> warnings) {
        ServerConfig was = current.server();
        ServerConfig now = loaded.server();
        fixed(warnings, "server.bind", was.bind(), now.bind());
        fixed(warnings, "server.port", was.port(), now.port());
        fixed(warnings, "server.admin-bind", was.adminBind(), now.adminBind());
        fixed(warnings, "server.admin-port", was.adminPort(), now.adminPort());
        fixed(warnings, "server.io-threads", was.ioThreads(), now.ioThreads());
        if (!current.store().equals(loaded.store())) {
            warnings.add("store: changed in the file; a new store needs a restart (keeping type "
                    + current.store().type().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        if (!current.proxy().equals(loaded.proxy())) {
            warnings.add("proxy: changed in the file; timeouts and size limits need a restart");
        }
        ServerConfig server = new ServerConfig(was.bind(), was.port(), was.adminBind(), was.adminPort(),
                now.shutdownGrace(), was.ioThreads(), now.drainDelay());
        return new GatewayConfig(server, current.proxy(), current.store(), loaded.identity(), loaded.plans(),
                loaded.endpoints(), loaded.routes(), loaded.securityHeaders());
    }

    private static void fixed(List<String> warnings, String name, Object was, Object now) {
        if (!was.equals(now)) {
            warnings.add(name + ": " + now + " in the file needs a restart (keeping " + was + ")");
        }
    }

    private void watch() {
        Set<Path> folders = new LinkedHashSet<>();
        folders.add(configFile.getParent());
        Path keyFile = keyFile();
        if (keyFile != null) {
            folders.add(keyFile.getParent());
        }
        try {
            WatchService service = FileSystems.getDefault().newWatchService();
            for (Path folder : folders) {
                // The folder, not the file: editors and Kubernetes ConfigMaps replace files by renaming.
                folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
            watcher = service;
            daemon(() -> watchLoop(service), "ventra-config-watch").start();
            log.info("Watching {} for configuration changes", folders);
        } catch (IOException | RuntimeException e) {
            log.warn("Failed to watch {} for changes; reload with SIGHUP or POST /admin/reload instead: {}",
                    folders, e.toString());
        }
    }

    private void watchLoop(WatchService service) {
        try {
            while (!closed) {
                WatchKey key = service.take();
                settle(key);
                // Wait until the folder is quiet, so that one save that writes several times reloads once.
                while ((key = service.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    settle(key);
                }
                if (!closed && !Arrays.equals(fingerprint, fingerprint())) {
                    reload("file change");
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed: the gateway is stopping.
        }
    }

    private static void settle(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    /** Hashes the config file and the key file, so that unrelated changes in their folders do not reload. */
    private byte[] fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, configFile);
            Path keyFile = keyFile();
            if (keyFile != null) {
                update(digest, keyFile);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void update(MessageDigest digest, Path file) {
        try {
            digest.update(Files.readAllBytes(file));
        } catch (IOException e) {
            // A missing or unreadable file is a state of its own; the reload reports the error.
            digest.update(e.getClass().getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Finds the key file the config names, or {@code null} when it cannot be read or names it by variable. */
    private Path keyFile() {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(configFile.toFile());
            JsonNode file = root == null ? null : root.path("identity").path("api-keys").path("file");
            if (file == null || !file.isTextual() || file.asText().contains("${")) {
                return null;
            }
            Path path = Path.of(file.asText());
            return path.isAbsolute() ? path : configFile.getParent().resolve(path);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
