package io.shardwise.benchmarks.fleet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One consumer's fleet on the simulator: its own fake-Kinesis port and counting relay (so its calls
 * and units are its own), W workers in two JVMs (W-1 workers, and one victim worker alone so it can
 * be SIGKILLed), and later one extra worker in a third JVM.
 */
final class ConsumerFleet implements AutoCloseable {
    static final List<String> JVM_OPTIONS = List.of("-Xmx1g", "-Xss512k", "-Daws.cborEnabled=false",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dorg.slf4j.simpleLogger.log.software.amazon.kinesis=info", "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");

    final String kind;
    final String label;
    final String app;
    final FakeKinesisServer kinesis;
    final CountingRelay relay;
    final FleetState state = new FleetState();
    private final FakeStream stream;
    private final Path logs;
    private final List<FleetJvm> jvms = new ArrayList<>();
    private final List<String> workers = new ArrayList<>();
    private FleetJvm victim;

    ConsumerFleet(String kind, FakeStream stream, java.net.URI dynamoDbLocal, String app, Path logs)
            throws IOException {
        this.kind = kind;
        this.label = kind.equals("kcl") ? "KCL 3.5.1" : "Shardwise";
        this.app = app;
        this.stream = stream;
        this.logs = logs;
        this.kinesis = new FakeKinesisServer(stream);
        this.relay = new CountingRelay(dynamoDbLocal);
    }

    private String prefix() {
        return kind.equals("kcl") ? "kcl" : "sw";
    }

    /** Starts W workers: W-1 in one JVM, the victim alone in another. */
    void start(int count) throws IOException {
        List<String> main = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            main.add(prefix() + "-" + i);
        }
        if (!main.isEmpty()) {
            jvms.add(launch(main, "main"));
        }
        victim = launch(List.of(prefix() + "-" + count + "-victim"), "victim");
        jvms.add(victim);
        workers.addAll(main);
        workers.add(victim.workers().get(0));
    }

    /** One more worker, in a JVM of its own. */
    void addWorker() throws IOException {
        String worker = prefix() + "-extra";
        jvms.add(launch(List.of(worker), "extra"));
        workers.add(worker);
    }

    private FleetJvm launch(List<String> names, String role) throws IOException {
        List<String> args = List.of(kind, kinesis.endpoint().toString(), relay.endpoint().toString(), stream.name, app);
        return new FleetJvm(JVM_OPTIONS, args, names, state, logs.resolve(FleetJvm.logName(app + "-" + role)));
    }

    /** Live workers (the victim until killed). */
    List<String> workers() {
        return workers;
    }

    String victimWorker() {
        return victim.workers().get(0);
    }

    void killVictim() throws InterruptedException {
        victim.kill();
        workers.remove(victimWorker());
    }

    long restarts() {
        return jvms.stream().mapToLong(FleetJvm::restarts).sum();
    }

    long records() {
        return jvms.stream().mapToLong(FleetJvm::records).sum();
    }

    double cpuSeconds() {
        return jvms.stream().mapToDouble(FleetJvm::cpuSeconds).sum();
    }

    /** A table's role: the lease table is named after the application; the others add a suffix to it. */
    String tableRole(String table) {
        if (table.equals(app)) {
            return "lease table";
        }
        return table.startsWith(app) ? "lease table" + table.substring(app.length()) : table;
    }

    @Override
    public void close() throws Exception {
        for (FleetJvm jvm : jvms) {
            jvm.close();
        }
        kinesis.close();
        relay.close();
    }
}
