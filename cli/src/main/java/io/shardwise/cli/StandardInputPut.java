package io.shardwise.cli;

import io.shardwise.producer.KinesisProducer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code put} without {@code --follow}: standard input's non-empty lines as records, then a flush
 * and one summary line. On a terminal, standard error shows a progress bar redrawn in place.
 */
final class StandardInputPut {

    private static final int BAR_WIDTH = 30;

    private final String stream;
    private final PartitionKeys keys;
    private final Console console;
    private final boolean terminal = Terminal.standardError();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** The first failure's message, the one the summary names. */
    private final StringBuilder firstFailure = new StringBuilder();
    private long sent;

    StandardInputPut(String stream, PartitionKeys keys, Console console) {
        this.stream = stream;
        this.keys = keys;
        this.console = console;
    }

    /** Sends every line and waits for the flush; exit code 0 when every record was acknowledged. */
    int run(Target target, Long maxBufferedBytes) throws IOException, InterruptedException {
        PrintWriter out = console.out();
        PrintWriter err = console.err();
        try (PutProducer put = PutProducer.open(target, stream, maxBufferedBytes);
             BufferedReader lines = new BufferedReader(new InputStreamReader(console.in(), StandardCharsets.UTF_8))) {
            put.awaitShardMap();
            sendLines(put.producer(), lines, err);
            awaitFlush(put.producer(), err);
        }
        if (terminal) {
            drawProgress(err);
            err.println();
        }
        out.println("put " + acknowledged.get() + " of " + sent + " records into " + stream
                + (failed.get() == 0 ? "" : "; " + failed.get() + " failed: " + firstFailure));
        out.flush();
        return failed.get() == 0 ? 0 : Shardwise.EXIT_FAILURE;
    }

    private void sendLines(KinesisProducer producer, BufferedReader lines, PrintWriter err) throws IOException {
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
            producer.send(choice.key(), line.getBytes(StandardCharsets.UTF_8)).whenComplete((r, e) -> completed(e));
            sent++;
            if (terminal && System.nanoTime() - lastDraw > 100_000_000L) {
                lastDraw = System.nanoTime();
                drawProgress(err);
            }
        }
    }

    /** On the producer's thread: counts the outcome and keeps the first failure's message. */
    private void completed(Throwable e) {
        if (e == null) {
            acknowledged.incrementAndGet();
            return;
        }
        failed.incrementAndGet();
        synchronized (firstFailure) {
            if (firstFailure.isEmpty()) {
                firstFailure.append(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            }
        }
    }

    private void awaitFlush(KinesisProducer producer, PrintWriter err) throws InterruptedException {
        var flushed = producer.flush();
        while (true) {
            try {
                flushed.get(100, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException notYet) {
                if (terminal) {
                    drawProgress(err);
                }
            } catch (ExecutionException e) {
                return; // each record's own future says what failed
            }
        }
    }

    /** {@code [#########.....]  900/1000 acknowledged}, redrawn in place. */
    private void drawProgress(PrintWriter err) {
        long done = acknowledged.get();
        long failures = failed.get();
        int filled = sent == 0 ? 0 : (int) (BAR_WIDTH * (done + failures) / sent);
        err.print("\r[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + done + "/" + sent
                + " acknowledged" + (failures == 0 ? "" : ", " + failures + " failed"));
        err.flush();
    }
}
