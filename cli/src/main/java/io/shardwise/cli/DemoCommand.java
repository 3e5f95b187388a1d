package io.shardwise.cli;

import io.shardwise.testkit.engines.LocalEngines;

import io.shardwise.consumer.ShardwiseConsumer;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
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
 * <p>The run itself is {@link DemoScenario}. Timeline, as fractions of {@code --duration}: split at
 * 20%, merge at 35%, SIGKILL of the child JVM worker at 50%, graceful stop of an in-process worker at
 * 70%; then the producer flushes and the demo waits until every acknowledged record was delivered
 * (at most {@link DemoScenario#DRAIN_TIMEOUT}).
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
        DemoPlan plan = new DemoPlan(records, durationSeconds, shards, workers);
        PrintWriter out = console.out();
        DemoView view = new DemoView(out, Terminal.standardOutput() && !json);
        Target target = Target.chosen(connection, System.getenv());
        if (target != null) {
            return run(plan, out, view, target, false, startMillis);
        }
        out.println("Starting the local engines (kinesis-mock and DynamoDB Local)...");
        out.flush();
        try (LocalEngines engines = LocalEngines.start()) {
            return run(plan, out, view, Target.of(engines), true, startMillis);
        }
    }

    private int run(DemoPlan plan, PrintWriter out, DemoView view, Target target, boolean local, long startMillis)
            throws Exception {
        String name = "shardwise-demo-" + UUID.randomUUID().toString().substring(0, 8);
        DemoTally tally = new DemoTally();
        try (KinesisClient kinesis = target.kinesisClient();
             KinesisAsyncClient kinesisAsync = target.kinesisAsyncClient();
             DynamoDbClient dynamo = target.dynamoDbClient()) {
            StreamAdmin admin = new StreamAdmin(kinesis);
            view.header("shardwise demo: stream " + name + ", " + plan.shards() + " shards, " + plan.workers()
                    + " workers, " + plan.records() + " records in " + plan.durationSeconds() + " s");
            view.event("on " + target.description());
            admin.create(name, plan.shards());
            view.event("created stream " + name + " with " + plan.shards() + " shards");
            try {
                new DemoScenario(plan, view, target, admin, dynamo, kinesisAsync, name, tally).execute();
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
}
