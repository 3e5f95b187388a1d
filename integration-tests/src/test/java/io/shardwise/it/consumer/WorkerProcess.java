package io.shardwise.it.consumer;

import io.shardwise.testkit.engines.LocalEngines;

import io.shardwise.consumer.ConsumerRecord;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A worker in a child JVM on the test classpath: a {@link ConsumerWorkerMain} feeding what it
 * processes into a {@link Received}, or any other main class whose output lines go to a handler.
 */
final class WorkerProcess implements AutoCloseable {
    private final String workerId;
    private final Process process;
    private final Thread reader;
    private final CountDownLatch started = new CountDownLatch(1);

    WorkerProcess(LocalEngines engines, String stream, String table, String workerId, Received received)
            throws IOException {
        this(ConsumerWorkerMain.class, List.of(engines.kinesisEndpoint().toString(),
                engines.dynamoDbEndpoint().toString(), stream, table, workerId), workerId,
                line -> addRecord(line, received));
    }

    /**
     * A child JVM running {@code main} with {@code args}; every line it prints but its STARTED line
     * goes to {@code lines}, on a reader thread, in the order printed.
     */
    WorkerProcess(Class<?> main, List<String> args, String workerId, Consumer<String> lines) throws IOException {
        this.workerId = workerId;
        Path log = Files.createTempFile("shardwise-" + workerId + "-", ".log");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        reader = new Thread(() -> read(lines), "read-" + workerId);
        reader.setDaemon(true);
        reader.start();
    }

    private static void addRecord(String line, Received received) {
        if (line.startsWith("REC ")) {
            String[] f = line.split(" ", 5);
            ConsumerRecord record = new ConsumerRecord(f[2], null, null,
                    f[4].getBytes(StandardCharsets.UTF_8), "0", 0, null, false, false);
            received.add(f[1], record, Long.parseLong(f[3]));
        }
    }

    private void read(Consumer<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("STARTED")) {
                    started.countDown();
                } else {
                    lines.accept(line);
                }
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    /** Waits until every line the process printed was handed over (after it ended). */
    void awaitOutputRead() throws InterruptedException {
        reader.join(30_000);
    }

    String workerId() {
        return workerId;
    }

    boolean awaitStarted() throws InterruptedException {
        return started.await(60, TimeUnit.SECONDS);
    }

    /**
     * SIGKILL: no shutdown hook, no release, no last heartbeat. The signal goes through the process
     * handle: {@code Process.destroy*()} would also close this side of the pipes at once, and the
     * lines the worker printed but this JVM had not read yet would be lost.
     */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the worker closes gracefully; what it prints while closing is still read. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.toHandle().destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
