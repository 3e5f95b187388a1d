package io.shardwise.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/** Moves an application's checkpoints: a dry run unless --execute, refused while a worker is live. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        header = "Move an application's checkpoints back or forward (a dry run unless --execute).",
        description = {"Prints each shard's checkpoint before and after. --execute writes them, in conditional"
                + " transactions: a worker that takes or checkpoints a lease meanwhile makes the reset fail, not"
                + " interleave.",
                "Refused while a worker of the application is live (its counters move over --sample seconds),"
                        + " unless --force.",
                "--to-timestamp: each shard resumes at its first record at or after the time (found with AT_TIMESTAMP"
                        + " iterators); a parent re-opens and its children wait for it again.",
                "--to-latest: each shard resumes after the records it holds now."})
final class AppResetCommand implements Callable<Integer> {

    @Mixin
    AppOptions app;

    @Option(names = "--stream", required = true, paramLabel = "NAME", description = "The application's stream.")
    String stream;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Destination to;

    @Option(names = "--shard", paramLabel = "ID", description = "With --to-sequence: the shard to move.")
    String shard;

    @Option(names = "--execute", description = "Write the new checkpoints (without it, only print them).")
    boolean execute;

    @Option(names = "--force", description = "Reset even while workers are live (they may overwrite it).")
    boolean force;

    @Mixin
    Console console;

    static final class Destination {
        @Option(names = "--to-timestamp", paramLabel = "TIME",
                description = "An ISO time such as 2025-01-31T12:00:00Z: records from it on are delivered again.")
        String timestamp;

        @Option(names = "--to-trim-horizon", description = "Every retained record is delivered again.")
        boolean trimHorizon;

        @Option(names = "--to-latest", description = "Skip every record the stream holds now.")
        boolean latest;

        @Option(names = "--to-sequence", paramLabel = "N[/SUB]",
                description = "With --shard: records after N (after user record SUB of N) are delivered again.")
        String sequence;
    }

    @Override
    public Integer call() {
        Instant time = to.timestamp == null ? null : parseTime(to.timestamp);
        if ((to.sequence != null) != (shard != null)) {
            throw new CliException(shard == null ? "--to-sequence needs --shard ID" : "--shard goes with --to-sequence only");
        }
        AppCheckpoint sequence = to.sequence == null ? null : AppCheckpoint.parseOption(to.sequence);
        Target target = app.connection.required("app reset");
        PrintWriter out = console.out();
        try (DynamoDbClient dynamo = target.dynamoDbClient(); KinesisClient kinesis = target.kinesisClient()) {
            AppTables tables = new AppTables(dynamo, app.application);
            AppOptions.Sampled sampled = AppOptions.sampled(tables, app.sample());
            if (execute && !force && !sampled.live().isEmpty()) {
                throw new CliException("refused: workers of " + app.application + " are live (their counters moved within "
                        + app.sampleSeconds + " s): " + String.join(", ", sampled.live())
                        + ". Stop them first, or pass --force.");
            }
            List<Shard> shards = AppDescribeCommand.listShards(kinesis, stream, target);
            ShardPositions positions = new ShardPositions(kinesis, stream);
            String destination;
            ResetPlan plan;
            if (time != null) {
                destination = "records from " + time + " on";
                plan = ResetPlan.toTime(shards, sampled.snapshot(), positions, time);
            } else if (to.trimHorizon) {
                destination = "the trim horizon";
                plan = ResetPlan.toTrimHorizon(shards, sampled.snapshot());
            } else if (to.latest) {
                Instant now = Instant.now();
                destination = "the latest records (after what the stream holds at " + now + ")";
                plan = ResetPlan.toLatest(shards, sampled.snapshot(), positions, now);
            } else {
                if (shards.stream().noneMatch(s -> s.shardId().equals(shard))) {
                    throw new CliException("--shard " + shard + ": stream " + stream + " lists no such shard");
                }
                AppCheckpoint checkpoint = positions.atSequence(shard, sequence);
                destination = shard + " after " + checkpoint;
                plan = ResetPlan.toSequence(shards, sampled.snapshot(), shard, checkpoint);
            }
            print(out, plan, destination);
            List<ResetPlan.Change> writes = plan.writes();
            if (!execute) {
                out.println("dry run: nothing written. " + writes.size() + " lease(s) would change; add --execute to apply.");
                if (!sampled.live().isEmpty()) {
                    out.println("note: workers are live (" + String.join(", ", sampled.live())
                            + "); --execute would refuse without --force.");
                }
            } else if (writes.isEmpty()) {
                out.println("nothing to write: every checkpoint is already there.");
            } else {
                ResetWrites.apply(dynamo, tables.leaseTable(), writes);
                long created = writes.stream().filter(c -> c.lease() == null).count();
                out.println("reset applied: " + writes.size() + " lease(s) written (" + created + " created)"
                        + (force && !sampled.live().isEmpty() ? ", with live workers (--force)" : "") + ".");
            }
        }
        out.flush();
        return 0;
    }

    private void print(PrintWriter out, ResetPlan plan, String destination) {
        out.println("reset of application " + app.application + " (stream " + stream + ") to " + destination);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("SHARD", "BEFORE", "AFTER", ""));
        for (ResetPlan.Change c : plan.changes()) {
            String note = !c.writes() ? "unchanged" : c.lease() == null ? "lease created" : "";
            rows.add(List.of(c.shardId(), c.before() == null ? "(no lease)" : c.before().toString(),
                    c.lease() == null && !c.writes() ? "(no lease)" : c.after().toString(), note));
        }
        AppDescription.columns(rows).forEach(l -> out.println(l.stripTrailing()));
        for (String key : plan.leftAlone()) {
            out.println(key + ": not a shard of the stream any more, left alone");
        }
    }

    private static Instant parseTime(String value) {
        Instant time;
        try {
            time = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new CliException("--to-timestamp " + value + ": expected an ISO time like 2025-01-31T12:00:00Z");
        }
        if (time.isAfter(Instant.now())) {
            throw new CliException("--to-timestamp " + value + " is in the future (Kinesis refuses it); for the"
                    + " newest records use --to-latest");
        }
        return time;
    }
}
