package io.shardwise.it.consumer;

import io.shardwise.consumer.ConsumerRecord;
import io.shardwise.testkit.LocalEngines;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A {@link ConsumerWorkerMain} child JVM on the test classpath, feeding what it processes into a {@link Received}. */
final class WorkerProcess implements AutoCloseable {
    private final String workerId;
    private final Process process;
    private final Thread reader;
    private final CountDownLatch started = new CountDownLatch(1);

    WorkerProcess(LocalEngines engines, String stream, String table, String workerId, Received received)
            throws IOException {
        this.workerId = workerId;
        Path log = Files.createTempFile("shardwise-" + workerId + "-", ".log");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ConsumerWorkerMain.class.getName(),
                engines.kinesisEndpoint().toString(), engines.dynamoDbEndpoint().toString(), stream, table, workerId))
                .redirectError(log.toFile())
                .start();
        reader = new Thread(() -> read(received), "read-" + workerId);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Received received) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("STARTED")) {
                    started.countDown();
                } else if (line.startsWith("REC ")) {
                    String[] f = line.split(" ", 5);
                    ConsumerRecord record = new ConsumerRecord(f[2], null, null,
                            f[4].getBytes(StandardCharsets.UTF_8), "0", 0, null, false, false);
                    received.add(f[1], record, Long.parseLong(f[3]));
                }
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    String workerId() {
        return workerId;
    }

    boolean awaitStarted() throws InterruptedException {
        return started.await(60, TimeUnit.SECONDS);
    }

    /** SIGKILL: no shutdown hook, no release, no last heartbeat. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the worker closes gracefully. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
