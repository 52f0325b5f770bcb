package io.ventra.gateway.proxy.lifecycle;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's real command ({@code GatewayCli run}) in a child JVM on the test classpath, with its stdout and
 * stderr collected line by line. Tests run before {@code package}, so the shaded jar does not exist yet; the
 * same main class on the same classpath is the jar's behaviour.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Pattern STARTED = Pattern.compile("proxy port (\\d+) and admin port (\\d+)");

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final int port;
    private final int adminPort;

    private GatewayProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "gateway-process-output");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> started() != null || !process.isAlive());
        Matcher started = started();
        if (started == null) {
            throw new IllegalStateException("The gateway did not start:\n" + String.join("\n", lines));
        }
        this.port = Integer.parseInt(started.group(1));
        this.adminPort = Integer.parseInt(started.group(2));
    }

    /** Starts {@code run --config <config> [extra...]} and waits until it listens. */
    static GatewayProcess start(Path config, Map<String, String> environment, String... extra) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Xmx256m");
        command.add("io.ventra.gateway.proxy.cli.GatewayCli");
        command.add("run");
        command.add("--config");
        command.add(config.toString());
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("VENTRA_ADMIN_TOKEN");
        builder.environment().putAll(environment);
        return new GatewayProcess(builder.start());
    }

    int port() {
        return port;
    }

    int adminPort() {
        return adminPort;
    }

    long pid() {
        return process.pid();
    }

    /** Sends SIGTERM (what {@code ProcessHandle.destroy} does on Linux). */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Waits for the exit; returns the exit code, or -1 when it is still running after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Returns every output line so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    String output() {
        return String.join("\n", lines);
    }

    /** Stops the child if a test left it running (SIGTERM, then SIGKILL); only this process, by its handle. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Matcher started() {
        for (String line : lines) {
            if (line.contains("Started Ventra Gateway")) {
                Matcher matcher = STARTED.matcher(line);
                if (matcher.find()) {
                    return matcher;
                }
            }
        }
        return null;
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The process ended.
        }
    }
}
