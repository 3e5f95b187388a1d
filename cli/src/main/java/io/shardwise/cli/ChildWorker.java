package io.shardwise.cli;

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
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * A demo worker in a child JVM ({@code shardwise demo-worker}) on this JVM's class path, its
 * deliveries fed into the tally as its output lines arrive.
 */
final class ChildWorker implements AutoCloseable {

    private final String workerId;
    private final Process process;
    private final CountDownLatch started = new CountDownLatch(1);
    private final Path log;
    private volatile boolean failedToStart;

    ChildWorker(Target target, String stream, String table, String workerId, DemoTally tally) throws IOException {
        this.workerId = workerId;
        this.log = Files.createTempFile("shardwise-demo-" + workerId + "-", ".log");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Shardwise.class.getName(),
                "demo-worker", "--stream", stream, "--table", table, "--worker-id", workerId,
                "--region", target.region().id()));
        if (target.kinesisEndpoint() != null) {
            command.addAll(List.of("--endpoint", target.kinesisEndpoint().toString()));
        }
        if (target.dynamoDbEndpoint() != null) {
            command.addAll(List.of("--dynamodb-endpoint", target.dynamoDbEndpoint().toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        if (target.kinesisEndpoint() != null) {
            // A local endpoint: hand over the credentials it was given (the child's chain may have none).
            AwsCredentials credentials = target.credentials().resolveCredentials();
            builder.environment().put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
            builder.environment().put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        }
        process = builder.start();
        Thread reader = new Thread(() -> read(tally), "demo-read-" + workerId);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(DemoTally tally) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.equals(DemoWorkerCommand.STARTED)) {
                    started.countDown();
                } else if (line.startsWith(DemoWorkerCommand.DELIVERY)) {
                    String[] fields = line.split(" ", 4);
                    if (fields.length == 4) {
                        tally.delivered(workerId, fields[1], Long.parseLong(fields[2]),
                                DemoPayload.decode(fields[3].getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the process ended (or was killed mid-line): what it printed before is counted
        }
    }

    String workerId() {
        return workerId;
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the worker to run; a failed start is an error naming the child's log. */
    void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!started.await(200, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                failedToStart = true;
                throw new CliException("the child JVM worker " + workerId + " did not start; see its log " + log
                        + ": " + lastLine());
            }
        }
    }

    /** SIGKILL: no shutdown hook runs, no lease is released, no last heartbeat is written. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Ends the worker gracefully (its standard input closes), killing it if it does not stop in time. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (!failedToStart) { // the log of a failed start is named in the error: keep it
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    private String lastLine() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(empty)" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "(unreadable)";
        }
    }
}
