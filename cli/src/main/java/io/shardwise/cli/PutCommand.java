package io.shardwise.cli;

import io.shardwise.producer.KinesisProducer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * Sends standard input's lines as records through the Shardwise producer (aggregated, in order),
 * or, with {@code --follow}, the lines of files as they grow ({@link FollowedPut}).
 */
@Command(name = "put", mixinStandardHelpOptions = true,
        header = "Send standard input's lines, or followed files' lines, as records through the producer.",
        description = {"Each non-empty line becomes one record (its UTF-8 bytes). With --key every line goes to"
                + " that partition key, in order; without a key option each line gets its line number as key"
                + " (random keys with --follow), spreading lines over the shards.",
                "--follow FILE_OR_GLOB... tails the files (quote a glob: files created later are picked up), follows"
                        + " rotation by rename and copy-truncate, sends only complete lines and checkpoints the"
                        + " acknowledged offsets in the --state file; a restart sends no acknowledged line again."
                        + " Runs until Ctrl-C or SIGTERM, then flushes and checkpoints.",
                "A line the key option finds no key in (not JSON, no such field, no match) is sent with a random"
                        + " key and reported on standard error.",
                "Needs an endpoint: --region (AWS), --endpoint, or " + Target.KINESIS_ENV
                        + " (see 'shardwise local')."})
final class PutCommand implements Callable<Integer> {

    private static final int BAR_WIDTH = 30;

    @Option(names = "--stream", required = true, paramLabel = "NAME", description = "The stream to write to.")
    String stream;

    @Option(names = "--key", paramLabel = "KEY", description = "Partition key for every line.")
    String key;

    @Option(names = "--key-field", paramLabel = "NAME",
            description = "Partition key from this field of each line, a JSON object (a string or a number).")
    String keyField;

    @Option(names = "--key-regex", paramLabel = "REGEX",
            description = "Partition key from group 1 of the first match of REGEX in each line.")
    String keyRegex;

    @Option(names = "--random-key", description = "A random partition key for each line (the default with --follow).")
    boolean randomKey;

    @Option(names = "--follow", description = "Follow the files FILE_OR_GLOB... instead of reading standard input.")
    boolean follow;

    @Parameters(paramLabel = "FILE_OR_GLOB", arity = "0..*",
            description = "With --follow: files or quoted globs (*, ?, [..], {a,b}, ** across directories).")
    List<String> files;

    @Option(names = "--state", paramLabel = "FILE",
            description = "With --follow: the state file of acknowledged offsets, one per follower (default: "
                    + FollowedPut.DEFAULT_STATE + " in the working directory).")
    Path state;

    @Option(names = "--max-unacknowledged", paramLabel = "LINES", defaultValue = "1000",
            description = "With --follow: at most this many lines sent and not yet checkpointed, the most a restart"
                    + " after a crash can send twice (default ${DEFAULT-VALUE}).")
    int maxUnacknowledged;

    @Option(names = "--poll-interval", paramLabel = "MS", defaultValue = "200",
            description = "With --follow: milliseconds between looks at the files (default ${DEFAULT-VALUE}).")
    long pollIntervalMillis;

    @Option(names = "--max-buffered-bytes", paramLabel = "BYTES",
            description = "The producer's memory budget: reading waits while it is full (default 64 MiB).")
    Long maxBufferedBytes;

    @Mixin
    ConnectionOptions connection;

    @ParentCommand
    Shardwise parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PartitionKeys keys = PartitionKeys.of(key, keyField, keyRegex, randomKey, follow);
        if (maxBufferedBytes != null && maxBufferedBytes < FollowedFile.MAX_LINE_BYTES) {
            throw new CliException("--max-buffered-bytes must hold the largest record, " + FollowedFile.MAX_LINE_BYTES
                    + " bytes: got " + maxBufferedBytes);
        }
        if (!follow && (files != null && !files.isEmpty() || state != null)) {
            throw new CliException("FILE_OR_GLOB and --state go with --follow; without it put reads standard input");
        }
        if (follow) {
            FileFollower.Settings settings = new FileFollower.Settings(files,
                    state != null ? state : Path.of(FollowedPut.defaultState(stream)), maxUnacknowledged,
                    Duration.ofMillis(pollIntervalMillis));
            Target target = Target.required(connection, System.getenv(), "put");
            return new FollowedPut(stream, target, settings, keys, maxBufferedBytes, spec.commandLine().getOut(),
                    spec.commandLine().getErr()).run();
        }
        Target target = Target.required(connection, System.getenv(), "put");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = Terminal.standardError();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long sent = 0;
        String firstFailure;
        try (KinesisClient kinesis = target.kinesisClient(); KinesisAsyncClient async = target.kinesisAsyncClient()) {
            requireStream(kinesis, target, stream);
            StringBuilder failure = new StringBuilder();
            try (KinesisProducer producer = producer(stream, async, maxBufferedBytes);
                 BufferedReader lines = new BufferedReader(new InputStreamReader(parent.in(), StandardCharsets.UTF_8))) {
                awaitShardMap(producer);
                long lastDraw = 0;
                int number = 0;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    number++;
                    if (line.isEmpty()) {
                        continue;
                    }
                    PartitionKeys.Choice choice = keys.keyFor(line, number);
                    if (choice.problem() != null) {
                        err.println((terminal ? "\r" : "") + "shardwise put: line " + number + ": " + choice.problem()
                                + "; sent with a random partition key");
                    }
                    String partitionKey = choice.key();
                    producer.send(partitionKey, line.getBytes(StandardCharsets.UTF_8)).whenComplete((r, e) -> {
                        if (e == null) {
                            acknowledged.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            synchronized (failure) {
                                if (failure.isEmpty()) {
                                    failure.append(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                                }
                            }
                        }
                    });
                    sent++;
                    if (terminal && System.nanoTime() - lastDraw > 100_000_000L) {
                        lastDraw = System.nanoTime();
                        drawProgress(err, sent, acknowledged.get(), failed.get());
                    }
                }
                awaitFlush(producer, err, sent, acknowledged, failed, terminal);
            }
            firstFailure = failure.toString();
        }
        if (terminal) {
            drawProgress(err, sent, acknowledged.get(), failed.get());
            err.println();
        }
        out.println("put " + acknowledged.get() + " of " + sent + " records into " + stream
                + (failed.get() == 0 ? "" : "; " + failed.get() + " failed: " + firstFailure));
        out.flush();
        return failed.get() == 0 ? 0 : Shardwise.EXIT_FAILURE;
    }

    static KinesisProducer producer(String stream, KinesisAsyncClient client, Long maxBufferedBytes) {
        KinesisProducer.Builder builder = KinesisProducer.builder().stream(stream).client(client);
        if (maxBufferedBytes != null) {
            builder.maxBufferedBytes(maxBufferedBytes);
        }
        return builder.build();
    }

    static void requireStream(KinesisClient kinesis, Target target, String stream) {
        try {
            kinesis.describeStreamSummary(b -> b.streamName(stream));
        } catch (ResourceNotFoundException e) {
            throw new CliException("stream " + stream + " does not exist at " + target.description()
                    + ": create it first (e.g. 'shardwise local --stream " + stream + ":2')");
        }
    }

    /** Until the producer knows the shards it sends unaggregated: give it a moment to load them. */
    static void awaitShardMap(KinesisProducer producer) throws InterruptedException {
        try {
            producer.ready().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // it sends anyway, record by record, and each record's future reports a real failure
        }
    }

    private static void awaitFlush(KinesisProducer producer, PrintWriter err, long sent, AtomicLong acknowledged,
                                   AtomicLong failed, boolean terminal) throws InterruptedException {
        var flushed = producer.flush();
        while (true) {
            try {
                flushed.get(100, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException notYet) {
                if (terminal) {
                    drawProgress(err, sent, acknowledged.get(), failed.get());
                }
            } catch (ExecutionException e) {
                return; // each record's own future says what failed
            }
        }
    }

    /** {@code [#########.....]  900/1000 acknowledged}, redrawn in place. */
    private static void drawProgress(PrintWriter err, long sent, long acknowledged, long failed) {
        int filled = sent == 0 ? 0 : (int) (BAR_WIDTH * (acknowledged + failed) / sent);
        err.print("\r[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + acknowledged + "/" + sent
                + " acknowledged" + (failed == 0 ? "" : ", " + failed + " failed"));
        err.flush();
    }

}
