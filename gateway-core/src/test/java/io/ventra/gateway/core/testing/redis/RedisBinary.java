package io.ventra.gateway.core.testing.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Locates a runnable {@code redis-server}: the one on {@code PATH} if present, otherwise the Linux binary shipped
 * inside the {@code embedded-redis} test dependency, extracted once per JVM.
 */
public final class RedisBinary {

    /** Classpath resource of the Redis 6.2 build bundled with {@code com.github.codemonstur:embedded-redis}. */
    static final String EMBEDDED_RESOURCE = "/redis-server-6.2.6-v5-linux-amd64";

    private static volatile Path resolved;

    private RedisBinary() {
    }

    /**
     * Returns the path of a runnable {@code redis-server}, resolving it on first use.
     *
     * @throws IllegalStateException if neither {@code PATH} nor the embedded resource provides one
     */
    public static Path path() {
        Path path = resolved;
        if (path == null) {
            synchronized (RedisBinary.class) {
                if (resolved == null) {
                    resolved = onPath().orElseGet(RedisBinary::extractEmbedded);
                }
                path = resolved;
            }
        }
        return path;
    }

    private static Optional<Path> onPath() {
        String pathVariable = System.getenv().getOrDefault("PATH", "");
        return Stream.of(pathVariable.split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Path extractEmbedded() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")
                || !System.getProperty("os.arch", "").matches("amd64|x86_64")) {
            throw noBinary("the embedded binary only runs on linux/amd64, this is "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
        try (InputStream in = RedisBinary.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            if (in == null) {
                throw noBinary("classpath resource " + EMBEDDED_RESOURCE + " is missing (embedded-redis not on the "
                        + "test classpath?)");
            }
            Path file = Files.createTempFile("ventra-redis-server-", "");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            if (!file.toFile().setExecutable(true, true)) {
                throw noBinary("cannot make " + file + " executable");
            }
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract " + EMBEDDED_RESOURCE, e);
        }
    }

    private static IllegalStateException noBinary(String reason) {
        return new IllegalStateException("No redis-server found: not on PATH and " + reason
                + ". Install Redis (redis-server on PATH) to run these tests.");
    }
}
