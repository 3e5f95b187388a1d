package io.shardwise.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The lines of a follower on their way to the stream: hands each to the {@link FileFollower.LineSender}
 * and takes its outcome on the sender's thread. An acknowledged line is marked done; a line the
 * stream refuses for good is skipped (marked done, and reported); any other failure queues it to be
 * sent again on the follower's thread.
 */
final class LineDelivery {

    private final FileFollower.LineSender sender;
    /** Runs on the sender's thread after every outcome: wakes the follower up. */
    private final Runnable progressed;
    private final Queue<FollowedFile.SentLine> toSendAgain = new ConcurrentLinkedQueue<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private long sent;
    private long sentAgain;

    LineDelivery(FileFollower.LineSender sender, Runnable progressed) {
        this.sender = sender;
        this.progressed = progressed;
    }

    /** Sends a line for the first time. */
    void send(FollowedFile.SentLine line) {
        sent++;
        dispatch(line);
    }

    /** Sends again the lines that failed since the last call. */
    void sendAgain() {
        for (FollowedFile.SentLine line = toSendAgain.poll(); line != null; line = toSendAgain.poll()) {
            sentAgain++;
            dispatch(line);
        }
    }

    /** Asks the sender to send what it buffers now (at the end). */
    void flush() {
        sender.flush();
    }

    /** Counts a line that is never sent (it is too long for a record). */
    void skip() {
        skipped.incrementAndGet();
    }

    boolean nothingToSendAgain() {
        return toSendAgain.isEmpty();
    }

    /** What was sent so far, with the follower's own figures: the files it followed, the lines without a key. */
    FileFollower.Counts counts(int files, long randomKeys) {
        return new FileFollower.Counts(files, sent, acknowledged.get(), sentAgain, skipped.get(), randomKeys);
    }

    /** The failures since the last call, at most one note per kind of failure, with a count. */
    void reportFailures(Consumer<String> notes) {
        Map<String, Integer> counted = new LinkedHashMap<>();
        for (String failure = failures.poll(); failure != null; failure = failures.poll()) {
            counted.merge(failure, 1, Integer::sum);
        }
        counted.forEach((failure, count) -> notes.accept(count == 1 ? failure : failure + " (" + count + " lines)"));
    }

    private void dispatch(FollowedFile.SentLine line) {
        CompletableFuture<?> result;
        try {
            result = sender.send(line.partitionKey, line.data);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((ignored, failure) -> completed(line, failure));
    }

    /** On the sender's thread: marks the line, or queues it to be sent again. */
    private void completed(FollowedFile.SentLine line, Throwable failure) {
        if (failure == null) {
            acknowledged.incrementAndGet();
            line.markDone();
        } else {
            Throwable cause = failure instanceof CompletionException || failure instanceof ExecutionException
                    ? failure.getCause() : failure;
            if (sender.refusedForGood(cause)) {
                skipped.incrementAndGet();
                failures.add(line.file.path + " byte " + line.start + ": skipped, the stream refuses it: "
                        + cause.getMessage());
                line.markDone();
            } else {
                failures.add("sending again a line that failed: " + cause.getMessage());
                toSendAgain.add(line);
            }
        }
        progressed.run();
    }
}
