package io.ventra.gateway.core.testing.redis;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs one {@code redis-server} process (plain, cluster node or sentinel) on a free loopback port for tests.
 *
 * <p>Each process gets its own temp directory holding its config and {@code redis.log}; nothing is persisted
 * ({@code save ""}, {@code appendonly no}). A JVM shutdown hook kills whatever is still running.
 */
public final class RedisServerProcess implements RedisTopology {

    /** Loopback address every harness process binds to. */
    public static final String HOST = "127.0.0.1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final int START_ATTEMPTS = 3;
    private static final int MIN_PORT = 20_000;
    private static final int MAX_PORT = 30_000;
    private static final int CLUSTER_BUS_OFFSET = 10_000;
    private static final Set<RedisServerProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RedisServerProcess::killAll, "redis-harness-cleanup"));
    }

    /** What kind of process to run; cluster nodes also need the cluster bus port (port + 10000) free. */
    enum Mode { STANDALONE, CLUSTER_NODE, SENTINEL }

    private final Mode mode;
    private final int port;
    private final Path directory;
    private volatile Process process;
    private volatile StatefulRedisConnection<String, String> admin;

    private RedisServerProcess(Mode mode, int port, List<String> extraConfig) {
        this.mode = mode;
        this.port = port;
        try {
            this.directory = Files.createTempDirectory("ventra-redis-" + port + "-");
            Files.write(configFile(), configLines(extraConfig));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare a directory for redis-server", e);
        }
    }

    /** Starts a plain Redis server on a free port, retrying with another port if the start fails. */
    public static RedisServerProcess start() {
        return start(List.of());
    }

    /** Starts a plain Redis server with extra {@code redis.conf} lines (e.g. {@code "replicaof 127.0.0.1 1234"}). */
    public static RedisServerProcess start(List<String> extraConfig) {
        return start(Mode.STANDALONE, extraConfig);
    }

    static RedisServerProcess start(Mode mode, List<String> extraConfig) {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            RedisServerProcess server = new RedisServerProcess(mode, pickPort(mode), extraConfig);
            try {
                server.launch();
                return server;
            } catch (RuntimeException e) {
                server.close();
                failure = chain(failure, e);
            }
        }
        throw failure;
    }

    /** Returns the address the server listens on, always {@value #HOST}. */
    public String host() {
        return HOST;
    }

    /** Returns the TCP port; it stays the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** Returns {@code redis://127.0.0.1:PORT}. */
    public String uri() {
        return "redis://" + HOST + ":" + port;
    }

    /** Returns a fresh Lettuce URI for this server. */
    public RedisURI redisUri() {
        return RedisURI.create(HOST, port);
    }

    @Override
    public RedisURI clientUri() {
        return redisUri();
    }

    /**
     * Returns the operating-system PID of the running process.
     *
     * @throws IllegalStateException if the process is stopped
     */
    public long pid() {
        return runningProcess().pid();
    }

    /** Tells whether the process is alive. */
    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** Returns the temp directory holding config, {@code nodes.conf} and the log. */
    public Path directory() {
        return directory;
    }

    /** Returns the file that receives the process's stdout and stderr. */
    public Path logFile() {
        return directory.resolve("redis.log");
    }

    /** Kills the process by PID (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. Idempotent. */
    public synchronized void stop() {
        closeAdmin();
        Process current = process;
        if (current == null) {
            return;
        }
        kill(current.toHandle());
        RUNNING.remove(this);
        process = null;
    }

    /** Stops the process and starts a new one on the same port with an empty dataset. */
    public synchronized void restart() {
        stop();
        try {
            Files.deleteIfExists(directory.resolve("dump.rdb"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        launch();
    }

    /** Blocks every client's commands for the given time ({@code CLIENT PAUSE ms ALL}); returns at once. */
    public void pause(Duration duration) {
        command("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
    }

    @Override
    public void flushAll() {
        commands().flushall();
    }

    /** Returns the number of keys in database 0. */
    public long dbSize() {
        return commands().dbsize();
    }

    /** Returns all keys of database 0, sorted, using {@code SCAN}. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        ScanIterator.scan(commands(), ScanArgs.Builder.limit(1_000)).forEachRemaining(keys::add);
        keys.sort(null);
        return keys;
    }

    /** Returns one section of {@code INFO} (e.g. {@code "replication"}). */
    public String info(String section) {
        return commands().info(section);
    }

    /**
     * Runs any command, e.g. {@code command("CLIENT", "PAUSE", "100")}, and returns the decoded reply.
     *
     * @return a {@code String}, {@code Long}, {@code List<Object>}, {@code null}, ... depending on the reply
     */
    public Object command(String name, String... args) {
        return RedisAdmin.dispatch(commands(), name, args);
    }

    /** Returns synchronous Lettuce commands on a shared admin connection (RESP2, 5 s timeout). */
    public synchronized RedisCommands<String, String> commands() {
        runningProcess();
        if (admin == null || !admin.isOpen()) {
            admin = RedisAdmin.connect(HOST, port);
        }
        return admin.sync();
    }

    /** Stops the process and deletes its temp directory. */
    @Override
    public void close() {
        stop();
        deleteRecursively(directory);
    }

    @Override
    public String toString() {
        Process current = process;
        return "redis[" + mode + " " + HOST + ":" + port + (current == null ? " stopped" : " pid=" + current.pid())
                + "]";
    }

    static Optional<String> infoField(String info, String name) {
        return info.lines()
                .filter(line -> line.startsWith(name + ":"))
                .map(line -> line.substring(name.length() + 1).strip())
                .findFirst();
    }

    private List<String> configLines(List<String> extraConfig) {
        List<String> lines = new ArrayList<>(List.of("port " + port, "bind " + HOST, "protected-mode no",
                "daemonize no", "dir \"" + directory + "\"", "logfile \"\""));
        if (mode != Mode.SENTINEL) {
            lines.addAll(List.of("save \"\"", "appendonly no"));
        }
        lines.addAll(extraConfig);
        return lines;
    }

    private Path configFile() {
        return directory.resolve(mode == Mode.SENTINEL ? "sentinel.conf" : "redis.conf");
    }

    private synchronized void launch() {
        List<String> command = new ArrayList<>(List.of(RedisBinary.path().toString(), configFile().toString()));
        if (mode == Mode.SENTINEL) {
            command.add("--sentinel");
        }
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        }
        RUNNING.add(this);
        awaitReady();
    }

    private void awaitReady() {
        try {
            await("PING answered by " + this).atMost(START_TIMEOUT).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20)).until(this::answersPing);
        } catch (ConditionTimeoutException e) {
            throw startFailure("no PONG within " + START_TIMEOUT.toSeconds() + " s");
        }
        String pid = infoField(info("server"), "process_id").orElse("?");
        if (!pid.equals(Long.toString(process.pid()))) {
            throw startFailure("port " + port + " is answered by another process (pid " + pid + ")");
        }
    }

    private boolean answersPing() {
        if (!process.isAlive()) {
            throw startFailure("process exited with code " + process.exitValue());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(US_ASCII));
            return "+PONG\r\n".equals(new String(socket.getInputStream().readNBytes(7), US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    private IllegalStateException startFailure(String reason) {
        return new IllegalStateException("Could not start " + this + ": " + reason + ". Log tail:\n" + logTail());
    }

    private String logTail() {
        try (Stream<String> lines = Files.lines(logFile())) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private Process runningProcess() {
        Process current = process;
        if (current == null) {
            throw new IllegalStateException(this + " is not running");
        }
        return current;
    }

    private void closeAdmin() {
        StatefulRedisConnection<String, String> connection = admin;
        admin = null;
        if (connection != null) {
            connection.closeAsync();
        }
    }

    private static void kill(ProcessHandle handle) {
        handle.destroy();
        try {
            handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            handle.destroyForcibly();
            handle.onExit().orTimeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).exceptionally(t -> null).join();
        }
    }

    private static void killAll() {
        RUNNING.forEach(server -> {
            Process current = server.process;
            if (current != null) {
                current.toHandle().destroyForcibly();
            }
        });
    }

    private static int pickPort(Mode mode) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(MIN_PORT, MAX_PORT);
            if (isFree(port) && (mode != Mode.CLUSTER_NODE || isFree(port + CLUSTER_BUS_OFFSET))) {
                return port;
            }
        }
        throw new IllegalStateException("No free loopback port in [" + MIN_PORT + ", " + MAX_PORT + ")");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(HOST, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static RuntimeException chain(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a leftover temp directory must not fail a test.
        }
    }
}
