package io.shardwise.cli;

import io.shardwise.producer.KinesisProducer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/** Sends standard input's lines as records through the Shardwise producer (aggregated, in order). */
@Command(name = "put", mixinStandardHelpOptions = true,
        header = "Send standard input's lines as records through the producer.",
        description = {"Each non-empty line becomes one record (its UTF-8 bytes). With --key every line goes to"
                + " that partition key, in order; without it each line gets its line number as key, spreading"
                + " lines over the shards.",
                "Needs an endpoint: --region (AWS), --endpoint, or " + Target.KINESIS_ENV
                        + " (see 'shardwise local')."})
final class PutCommand implements Callable<Integer> {

    private static final int BAR_WIDTH = 30;

    @Option(names = "--stream", required = true, paramLabel = "NAME", description = "The stream to write to.")
    String stream;

    @Option(names = "--key", paramLabel = "KEY", description = "Partition key for every line.")
    String key;

    @Mixin
    ConnectionOptions connection;

    @ParentCommand
    Shardwise parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Target target = Target.required(connection, System.getenv(), "put");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = Terminal.standardError();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long sent = 0;
        String firstFailure;
        try (KinesisClient kinesis = target.kinesisClient(); KinesisAsyncClient async = target.kinesisAsyncClient()) {
            requireStream(kinesis, target);
            StringBuilder failure = new StringBuilder();
            try (KinesisProducer producer = KinesisProducer.builder().stream(stream).client(async).build();
                 BufferedReader lines = new BufferedReader(new InputStreamReader(parent.in(), StandardCharsets.UTF_8))) {
                awaitShardMap(producer);
                long lastDraw = 0;
                int number = 0;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    number++;
                    if (line.isEmpty()) {
                        continue;
                    }
                    String partitionKey = key != null ? key : Integer.toString(number);
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

    private void requireStream(KinesisClient kinesis, Target target) {
        try {
            kinesis.describeStreamSummary(b -> b.streamName(stream));
        } catch (ResourceNotFoundException e) {
            throw new CliException("stream " + stream + " does not exist at " + target.description()
                    + ": create it first (e.g. 'shardwise local --stream " + stream + ":2')");
        }
    }

    /** Until the producer knows the shards it sends unaggregated: give it a moment to load them. */
    private static void awaitShardMap(KinesisProducer producer) throws InterruptedException {
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
