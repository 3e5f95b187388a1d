package io.shardwise.cli;

import io.shardwise.testkit.engines.LocalEngines;

import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.producer.KinesisProducer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The end-to-end demo: a producer at a steady rate, consumer workers in this JVM and one in a child
 * JVM, and during the run a split, a merge, a graceful stop and a SIGKILL; then a verdict on loss,
 * duplicates, per-key order, latency and failover time (definitions in {@link DemoTally}).
 *
 * <p>Timeline, as fractions of {@code --duration}: split at 20%, merge at 35%, SIGKILL of the child
 * JVM worker at 50%, graceful stop of an in-process worker at 70%; then the producer flushes and the
 * demo waits until every acknowledged record was delivered (at most {@link #DRAIN_TIMEOUT}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Run producer and consumers end to end through resharding, a graceful stop and a crash.",
        description = {
            "Starts the embedded local engines (or uses --region/--endpoint), creates a stream, produces"
                    + " records with per-key sequence numbers at a steady rate, and consumes them with"
                    + " several workers, one in a child JVM. During the run it splits a shard, merges two,"
                    + " stops one worker gracefully and kills the child JVM worker with SIGKILL.",
            "At the end it prints a verdict: sent, received, lost, duplicates, per-key order violations,"
                    + " throughput, p50/p99 end-to-end latency and the failover time after the crash.",
            "Exit code 0 only when nothing was lost and no key went out of order."})
final class DemoCommand implements Callable<Integer> {

    private static final int KEYS = 100;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LEASES_TIMEOUT = Duration.ofSeconds(60);

    @Option(names = "--records", paramLabel = "N", defaultValue = "9000",
            description = "Records to produce (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to produce, spreading the records evenly (default ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "4",
            description = "Shards of the stream at the start (default ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "3",
            description = "Consumer workers, at least 3: one keeps running, one stops gracefully, one (in a"
                    + " child JVM) is killed (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--json", description = "Print the verdict as JSON on the last line of standard output.")
    boolean json;

    @Option(names = "--keep", description = "Against AWS: keep the stream and the lease table at the end.")
    boolean keep;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    Console console;

    @Override
    public Integer call() throws Exception {
        long startMillis = System.currentTimeMillis();
        validate();
        PrintWriter out = console.out();
        DemoView view = new DemoView(out, Terminal.standardOutput() && !json);
        Target target = Target.chosen(connection, System.getenv());
        if (target != null) {
            return run(out, view, target, false, startMillis);
        }
        out.println("Starting the local engines (kinesis-mock and DynamoDB Local)...");
        out.flush();
        try (LocalEngines engines = LocalEngines.start()) {
            return run(out, view, Target.of(engines), true, startMillis);
        }
    }

    private void validate() {
        if (records < 1) {
            throw new CliException("--records must be at least 1: got " + records);
        }
        if (durationSeconds < 5) {
            throw new CliException("--duration must be at least 5 seconds (room for resharding, a stop and a crash):"
                    + " got " + durationSeconds);
        }
        if (shards < 1 || shards > 50) {
            throw new CliException("--shards must be between 1 and 50: got " + shards);
        }
        if (workers < 3 || workers > 10) {
            throw new CliException("--workers must be between 3 and 10 (one keeps running, one stops gracefully,"
                    + " one is killed): got " + workers);
        }
    }

    private int run(PrintWriter out, DemoView view, Target target, boolean local, long startMillis) throws Exception {
        String name = "shardwise-demo-" + UUID.randomUUID().toString().substring(0, 8);
        DemoTally tally = new DemoTally();
        try (KinesisClient kinesis = target.kinesisClient();
             KinesisAsyncClient kinesisAsync = target.kinesisAsyncClient();
             DynamoDbClient dynamo = target.dynamoDbClient()) {
            StreamAdmin admin = new StreamAdmin(kinesis);
            view.header("shardwise demo: stream " + name + ", " + shards + " shards, " + workers + " workers, "
                    + records + " records in " + durationSeconds + " s");
            view.event("on " + target.description());
            admin.create(name, shards);
            view.event("created stream " + name + " with " + shards + " shards");
            try {
                new Run(view, target, admin, dynamo, kinesisAsync, name, tally).execute();
            } finally {
                if (!local && !keep) {
                    admin.delete(name);
                    StreamAdmin.deleteTable(dynamo, name);
                    StreamAdmin.deleteTable(dynamo, ShardwiseConsumer.workerTableNameFor(name));
                    view.event("deleted stream, lease table and worker table " + name);
                } else if (!local) {
                    view.event("kept stream and lease table " + name + " (--keep)");
                }
            }
        }
        view.finish();
        DemoVerdict verdict = tally.verdict();
        for (String line : verdict.text()) {
            out.println(line);
        }
        out.println(String.format(Locale.ROOT, "  wall time %.1f s", (System.currentTimeMillis() - startMillis) / 1000.0));
        if (json) {
            out.println(verdict.json());
        }
        out.flush();
        return verdict.passed() ? 0 : Shardwise.EXIT_FAILURE;
    }

    /** One run of the scenario on an existing stream; the lease table is named after the stream. */
    private final class Run {
        private final DemoView view;
        private final Target target;
        private final StreamAdmin admin;
        private final DemoLeases leases;
        private final KinesisAsyncClient kinesisAsync;
        private final String stream;
        private final DemoTally tally;
        private final List<ShardwiseConsumer> inProcess = new ArrayList<>();
        private ChildWorker child;
        private volatile boolean failoverReported;

        Run(DemoView view, Target target, StreamAdmin admin, DynamoDbClient dynamo, KinesisAsyncClient kinesisAsync,
            String stream, DemoTally tally) {
            this.view = view;
            this.target = target;
            this.admin = admin;
            this.leases = new DemoLeases(dynamo, stream);
            this.kinesisAsync = kinesisAsync;
            this.stream = stream;
            this.tally = tally;
        }

        void execute() throws Exception {
            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
                Thread thread = new Thread(r, "demo-scheduler");
                thread.setDaemon(true);
                return thread;
            });
            try {
                startWorkers();
                awaitLeases();
                scheduler.scheduleWithFixedDelay(this::showStatus, 0, 1, TimeUnit.SECONDS);
                produce(scheduler);
                drain();
            } finally {
                scheduler.shutdownNow();
                showStatus();
                stopWorkers();
            }
        }

        private void startWorkers() throws Exception {
            for (int i = 1; i < workers; i++) {
                String workerId = "worker-" + i;
                ShardwiseConsumer consumer = DemoWorkers.consumer(target, stream, stream, workerId,
                        (shardId, millis, data) -> tally.delivered(workerId, shardId, millis, DemoPayload.decode(data)));
                consumer.start();
                inProcess.add(consumer);
            }
            child = new ChildWorker(target, stream, stream, "worker-" + workers, tally);
            child.awaitStarted();
            view.event("started " + (workers - 1) + " workers in this JVM and " + child.workerId()
                    + " in a child JVM (pid " + child.pid() + ")");
        }

        /** Waits until every open shard has an owner, so latency measures the steady state. */
        private void awaitLeases() throws InterruptedException {
            long deadline = System.nanoTime() + LEASES_TIMEOUT.toNanos();
            int open = admin.openShards(stream).size();
            while (System.nanoTime() < deadline) {
                long owned = leases.read().stream().filter(l -> l.owner() != null && !l.ended()).count();
                if (owned >= open) {
                    view.event("every shard has a worker");
                    return;
                }
                Thread.sleep(250);
            }
            view.event("not every shard has a worker after " + LEASES_TIMEOUT.toSeconds() + " s; producing anyway");
        }

        private void produce(ScheduledExecutorService scheduler) throws Exception {
            long durationMillis = durationSeconds * 1000L;
            try (KinesisProducer producer = KinesisProducer.builder().stream(stream).client(kinesisAsync)
                    .recordTtl(Duration.ofMinutes(2)).build()) {
                producer.ready().get(30, TimeUnit.SECONDS);
                schedule(scheduler, durationMillis * 20 / 100, this::split);
                schedule(scheduler, durationMillis * 35 / 100, this::merge);
                schedule(scheduler, durationMillis * 50 / 100, this::crash);
                schedule(scheduler, durationMillis * 70 / 100, this::stopGracefully);
                view.event(String.format(Locale.ROOT, "producing %d records over %d keys at %.0f records/s",
                        records, KEYS, records * 1000.0 / durationMillis));
                Map<String, Long> nextSequence = new HashMap<>();
                long start = System.nanoTime();
                double intervalNanos = durationMillis * 1e6 / records;
                for (int i = 0; i < records; i++) {
                    long due = start + (long) (i * intervalNanos);
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    String key = String.format(Locale.ROOT, "key-%03d", i % KEYS);
                    long sequence = nextSequence.merge(key, 1L, Long::sum) - 1;
                    long now = System.currentTimeMillis();
                    DemoPayload payload = new DemoPayload(key, sequence, now);
                    tally.sendStarted(now);
                    producer.send(key, payload.encode()).whenComplete((result, failure) -> {
                        if (failure == null) {
                            tally.acknowledged(result.shardId(), payload);
                        } else {
                            tally.sendFailed();
                        }
                    });
                }
                producer.flush().get(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            view.event("producer done: " + tally.progress().sent() + " records acknowledged");
        }

        private void schedule(ScheduledExecutorService scheduler, long delayMillis, Step step) {
            scheduler.schedule(() -> {
                try {
                    step.run();
                } catch (Exception e) {
                    view.event("FAILED: " + e);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        }

        private void split() {
            view.event(admin.splitFirst(stream));
        }

        private void merge() {
            view.event(admin.mergeLastAdjacent(stream));
        }

        private void crash() throws InterruptedException {
            Set<String> held = DemoLeases.activeByOwner(leases.read()).getOrDefault(child.workerId(), Set.of());
            long killMillis = System.currentTimeMillis();
            child.kill();
            tally.killed(child.workerId(), held, killMillis);
            view.event("killed " + child.workerId() + " (child JVM, pid " + child.pid() + ") with SIGKILL; it held "
                    + (held.isEmpty() ? "no shard" : String.join(", ", held)));
        }

        private void stopGracefully() {
            ShardwiseConsumer worker = inProcess.get(inProcess.size() - 1);
            long start = System.nanoTime();
            worker.close();
            view.event(String.format(Locale.ROOT, "stopped %s gracefully in %.1f s (its leases released)",
                    worker.workerId(), (System.nanoTime() - start) / 1e9));
        }

        /** Waits until every acknowledged record was delivered and the failover was measured. */
        private void drain() throws InterruptedException {
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (tally.verdict().lost() == 0 && !tally.failoverPending()) {
                    view.event("every acknowledged record was processed");
                    return;
                }
                Thread.sleep(250);
            }
            view.event("gave up waiting after " + DRAIN_TIMEOUT.toSeconds() + " s: " + tally.verdict().lost()
                    + " records not processed");
        }

        private void showStatus() {
            try {
                List<DemoLeases.Lease> table = leases.read();
                if (tally.failoverPending()) {
                    long now = System.currentTimeMillis();
                    for (DemoLeases.Lease lease : table) {
                        if (lease.ended() && lease.owner() != null && !lease.owner().equals(child.workerId())) {
                            tally.shardEndedElsewhere(lease.shardId(), now);
                        }
                    }
                }
                DemoVerdict sofar = tally.verdict();
                if (!failoverReported && sofar.failoverSeconds() != null) {
                    failoverReported = true;
                    view.event(String.format(Locale.ROOT, "failover: every shard of %s processing again %.2f s after"
                            + " the kill", child.workerId(), sofar.failoverSeconds()));
                }
                view.status(tally.progress(), DemoLeases.activeByOwner(table));
            } catch (RuntimeException e) {
                view.event("could not read the lease table: " + e.getMessage());
            }
        }

        private void stopWorkers() throws InterruptedException {
            for (ShardwiseConsumer worker : inProcess) {
                worker.close();
            }
            if (child != null) {
                child.close();
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
