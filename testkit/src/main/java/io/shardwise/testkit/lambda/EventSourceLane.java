package io.shardwise.testkit.lambda;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * One of the up to {@code ParallelizationFactor} concurrent batch streams of a shard: the records
 * of the partition keys it owns that are read but not yet delivered successfully (its head is its
 * checkpoint), its retry and bisect state, whether an invocation is in flight, and the tumbling
 * window it has open. Every partition key belongs to exactly one lane, so a key's records go to
 * one batch at a time, in order.
 *
 * <p>Guarded by its own monitor: the poller adds records and starts invocations, a worker thread
 * applies an invocation's outcome.
 */
final class EventSourceLane {

    final int index;
    final ArrayDeque<Record> pending = new ArrayDeque<>();
    long pendingSinceNanos;

    /** The batch start that failed, how often in a row, and the bisection in progress. */
    String attemptStartSequence;
    int failedAttempts;
    int bisectLimit;
    int bisectRemaining;

    /** An invocation of this lane is running: the next waits for its outcome. */
    boolean busy;

    /** The open tumbling window and its state, or null when none is open. */
    Instant windowStart;
    Instant windowEnd;
    Map<String, String> windowState;

    EventSourceLane(int index) {
        this.index = index;
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    /** Nothing to deliver, nothing running, no window waiting for its final invocation. */
    synchronized boolean idle() {
        return pending.isEmpty() && !busy && windowStart == null;
    }

    synchronized void add(Record record, long nowNanos) {
        if (pending.isEmpty()) {
            pendingSinceNanos = nowNanos;
        }
        pending.addLast(record);
    }

    /** Removes the first {@code count} records (delivered or given up) and ends a finished bisection. */
    void removeHead(int count) {
        for (int i = 0; i < count; i++) {
            pending.pollFirst();
        }
        if (bisectLimit > 0) {
            bisectRemaining -= count;
            if (bisectRemaining <= 0) {
                bisectLimit = 0;
                bisectRemaining = 0;
            }
        }
    }

    /** Removes the first {@code count} records, delivered or given up, and forgets their failed attempts. */
    void completeHead(int count) {
        removeHead(count);
        failedAttempts = 0;
        attemptStartSequence = null;
    }

    void closeWindow() {
        windowStart = null;
        windowEnd = null;
        windowState = null;
    }
}
