package io.shardwise.cli;

import io.shardwise.producer.InvalidRecordException;
import io.shardwise.producer.KinesisProducer;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code put --follow}: a {@link FileFollower} sending through a {@link KinesisProducer} until
 * Ctrl-C or SIGTERM, when it flushes, waits for the acknowledgements and writes the state a last
 * time. The producer's memory budget is the backpressure: {@code send} waits while it is full, and
 * so does the reading.
 */
final class FollowedPut {

    static final String DEFAULT_STATE = "shardwise-follow-STREAM.state";

    /** The default state file's name for a stream: {@code shardwise-follow-orders.state}. */
    static String defaultState(String stream) {
        String name = stream.substring(stream.lastIndexOf('/') + 1);
        return "shardwise-follow-" + name.replaceAll("[^A-Za-z0-9._-]", "_") + ".state";
    }

    /** How long the end may take: the producer's flush, then the last acknowledgements. */
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(30);

    private final String stream;
    private final FileFollower.Settings settings;
    private final PartitionKeys keys;
    private final Console console;

    FollowedPut(String stream, FileFollower.Settings settings, PartitionKeys keys, Console console) {
        this.stream = stream;
        this.settings = settings;
        this.keys = keys;
        this.console = console;
    }

    /** Follows until Ctrl-C or SIGTERM, then prints one summary line; exit code 0. */
    int run(Target target, Long maxBufferedBytes) throws IOException, InterruptedException {
        try (PutProducer put = PutProducer.open(target, stream, maxBufferedBytes)) {
            FileFollower follower = new FileFollower(settings, sender(put.producer()), keys, this::note);
            try {
                follow(put, follower);
            } finally {
                follower.close();
            }
        }
        return 0;
    }

    private void follow(PutProducer put, FileFollower follower) throws IOException, InterruptedException {
        put.awaitShardMap();
        note("following " + String.join(" ", settings.patterns()) + " into " + stream + " with " + keys.description()
                + "; offsets in " + follower.stateFile() + " (Ctrl-C stops)");
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            follower.stop();
            try {
                finished.await(FINISH_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shardwise-follow-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            follower.run(FINISH_TIMEOUT);
            FileFollower.Counts counts = follower.counts();
            PrintWriter out = console.out();
            out.println("put " + counts.acknowledged() + " of " + counts.sent() + " lines from " + counts.files()
                    + " file(s) into " + stream + (counts.sentAgain() == 0 ? "" : "; " + counts.sentAgain()
                    + " sent again after a failure") + (counts.skipped() == 0 ? "" : "; " + counts.skipped()
                    + " skipped") + (counts.randomKeys() == 0 ? "" : "; " + counts.randomKeys()
                    + " without a key, sent with random keys") + "; offsets in " + follower.stateFile());
            out.flush();
        } finally {
            finished.countDown();
            removeHook(hook);
        }
    }

    private static FileFollower.LineSender sender(KinesisProducer producer) {
        return new FileFollower.LineSender() {
            @Override
            public CompletableFuture<?> send(String partitionKey, byte[] data) {
                return producer.send(partitionKey, data);
            }

            @Override
            public void flush() {
                producer.flush();
            }

            @Override
            public boolean refusedForGood(Throwable failure) {
                return failure instanceof InvalidRecordException;
            }
        };
    }

    private void note(String message) {
        PrintWriter err = console.err();
        err.println("shardwise put: " + message);
        err.flush();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is what ended the run
        }
    }
}
