package io.shardwise.benchmarks.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** One child JVM of a fleet ({@link FleetWorkerMain}) and what it reports: deliveries and user records. */
final class FleetJvm implements AutoCloseable {
    private final Process process;
    private final List<String> workers;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();

    FleetJvm(List<String> jvmOptions, List<String> args, List<String> workers, FleetState state, Path log)
            throws IOException {
        this.workers = workers;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FleetWorkerMain.class.getName());
        command.addAll(args);
        command.add(String.join(",", workers));
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        Thread reader = new Thread(() -> read(state), "fleet-read-" + workers.get(0));
        reader.setDaemon(true);
        reader.start();
    }

    private void read(FleetState state) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("N ")) {
                    records.set(Long.parseLong(line.substring(2).trim()));
                } else if (line.startsWith("R ")) {
                    restarts.incrementAndGet();
                } else if (line.startsWith("D ")) {
                    String[] f = line.split(" ");
                    if (f.length == 4) {
                        state.delivered(f[1], Long.parseLong(f[2]), FleetWorkerMain.parseShards(f[3]));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the JVM ended
        }
    }

    List<String> workers() {
        return workers;
    }

    /** Workers whose consumer gave up and was restarted. */
    long restarts() {
        return restarts.get();
    }

    /** User records this JVM received so far. */
    long records() {
        return records.get();
    }

    /** CPU seconds (user + system) this JVM used so far, from /proc; 0 once it has ended. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // USER_HZ
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** SIGKILL, as a crashed host. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close(); // the child halts when its stdin closes
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static String logName(String label) {
        return label.replaceAll("[^a-zA-Z0-9_.-]", "_") + ".log";
    }
}
