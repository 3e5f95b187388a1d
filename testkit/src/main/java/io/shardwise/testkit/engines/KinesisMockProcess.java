package io.shardwise.testkit.engines;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kinesis-mock running as a child process on free plain and TLS ports.
 *
 * <p>No engine process may outlive the JVM that started it. A shutdown hook stops it on a normal
 * exit; for a JVM killed with SIGKILL, where no hook runs, node is started through a launcher
 * that exits when its stdin, a pipe this JVM holds open, reaches end-of-file.
 */
final class KinesisMockProcess implements AutoCloseable {

    static final String LOG_LEVEL_VARIABLE = "SHARDWISE_KINESIS_LOG_LEVEL";

    private static final Logger LOG = LoggerFactory.getLogger(KinesisMockProcess.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int START_ATTEMPTS = 3;
    /** Short enough that tests of create, reshard and consumers do not wait, long enough to be seen. */
    private static final String OPERATION_DURATION = "100ms";

    private final Process process;
    private final int plainPort;
    private final int tlsPort;
    private final Path log;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KinesisMockProcess(Process process, int plainPort, int tlsPort, Path log) {
        this.process = process;
        this.plainPort = plainPort;
        this.tlsPort = tlsPort;
        this.log = log;
        this.shutdownHook = new Thread(this::stopProcess, "shardwise-kinesis-mock-stop-" + plainPort);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Installs kinesis-mock if needed, starts it and waits until its health check answers. */
    static KinesisMockProcess start(Map<String, String> env) {
        NodeToolchain toolchain = NodeToolchain.locate(env);
        KinesisLocalInstallation installation = KinesisLocalInstallation.ensureInstalled(toolchain, env);
        LocalEngineException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            List<Integer> ports = FreePorts.pick(2);
            try {
                return startOnce(toolchain, installation, env, ports.get(0), ports.get(1));
            } catch (PortTakenException e) {
                // Another process took a picked port between the pick and node's bind: pick again.
                LOG.debug("kinesis-mock could not bind its ports on attempt {}: {}", attempt, e.getMessage());
                last = e;
            }
        }
        throw last;
    }

    private static KinesisMockProcess startOnce(NodeToolchain toolchain, KinesisLocalInstallation installation,
                                                Map<String, String> env, int plainPort, int tlsPort) {
        Path log = logDirectory(installation).resolve("kinesis-mock-" + plainPort + ".log");
        ProcessBuilder builder = new ProcessBuilder(toolchain.node().toString(),
                installation.launcher().toString(), installation.mainScript().toString())
                .directory(installation.directory().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // stdin stays a pipe (the default): the launcher watches it to die with this JVM.
        builder.environment().putAll(childEnvironment(installation, env, plainPort, tlsPort));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new LocalEngineException("could not start " + toolchain.node() + ": " + e.getMessage(), e);
        }
        KinesisMockProcess engine = new KinesisMockProcess(process, plainPort, tlsPort, log);
        try {
            engine.awaitHealthy();
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** The variables kinesis-mock reads; names from its CacheConfig and service configuration. */
    static Map<String, String> childEnvironment(KinesisLocalInstallation installation, Map<String, String> env,
                                                int plainPort, int tlsPort) {
        Map<String, String> vars = new HashMap<>();
        vars.put("KINESIS_MOCK_CERT_PATH", installation.certificate().toAbsolutePath().toString());
        vars.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(plainPort));
        vars.put("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort));
        vars.put("LOG_LEVEL", env.getOrDefault(LOG_LEVEL_VARIABLE, "WARN"));
        vars.put("AWS_REGION", LocalEngines.REGION.id());
        // Tests create many streams in one engine; the service's default of 50 open shards is too few.
        vars.put("SHARD_LIMIT", "100000");
        vars.put("ON_DEMAND_STREAM_COUNT_LIMIT", "10000");
        for (String operation : List.of("CREATE_STREAM", "DELETE_STREAM", "MERGE_SHARDS", "SPLIT_SHARD",
                "UPDATE_SHARD_COUNT", "UPDATE_STREAM_MODE", "REGISTER_STREAM_CONSUMER",
                // kinesis-mock reads these three crossed (each into another's setting): keep them equal.
                "DEREGISTER_STREAM_CONSUMER", "START_STREAM_ENCRYPTION", "STOP_STREAM_ENCRYPTION")) {
            vars.put(operation + "_DURATION", OPERATION_DURATION);
        }
        return vars;
    }

    private static Path logDirectory(KinesisLocalInstallation installation) {
        // Beside the build output when run from a Maven module, else in the cache directory.
        Path target = Path.of("target");
        Path dir = Files.isDirectory(target) ? target.resolve("shardwise-engines") : installation.directory().resolve("logs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LocalEngineException("could not create the engine log directory " + dir + ": " + e, e);
        }
        return dir.toAbsolutePath();
    }

    private void awaitHealthy() {
        URI health = URI.create(endpoint() + "/healthcheck");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = LogTail.of(log, 40);
                String message = "kinesis-mock exited with code " + process.exitValue() + " while starting on ports "
                        + plainPort + "/" + tlsPort + "; " + tail;
                throw tail.contains("EADDRINUSE") ? new PortTakenException(message) : new LocalEngineException(message);
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // Expected until the server binds its port.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalEngineException("interrupted while waiting for kinesis-mock to start", e);
            }
            sleep(Duration.ofMillis(100));
        }
        throw new LocalEngineException("kinesis-mock did not answer " + health + " within "
                + START_TIMEOUT.toSeconds() + " s; " + LogTail.of(log, 40));
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + plainPort);
    }

    URI tlsEndpoint() {
        return URI.create("https://127.0.0.1:" + tlsPort);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it finds the process stopped.
        }
    }

    /** Terminate, give it a few seconds, then kill it, and always reap it. */
    private void stopProcess() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // Closing our end of the pipe only tells the launcher to exit; it is already going.
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalEngineException("interrupted while waiting for kinesis-mock to start", e);
        }
    }

    /** The engine lost a race for one of its picked ports. */
    private static final class PortTakenException extends LocalEngineException {
        PortTakenException(String message) {
            super(message);
        }
    }
}
