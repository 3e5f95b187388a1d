package io.shardwise.testkit;

import java.util.ArrayDeque;
import java.util.List;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * One shard as the local event source mapping follows it: its iterator, the records read but
 * not yet delivered successfully (the head is the mapping's checkpoint), and its retry state.
 * Changed only by the poller thread; the volatile fields are read by {@code awaitIdle}.
 */
final class EventSourceShard {

    final String shardId;
    final List<String> parentShardIds;
    /** Shards present when the mapping started use its starting position; later ones start at the trim horizon. */
    final boolean fromStartingPosition;

    final ArrayDeque<Record> pending = new ArrayDeque<>();
    String iterator;
    boolean opened;
    String lastFetchedSequence;
    long lastPollNanos;
    boolean lastPollHadRecords;
    long pendingSinceNanos;

    /** The batch start that failed, how often in a row, and the bisection in progress. */
    String attemptStartSequence;
    int failedAttempts;
    int bisectLimit;
    int bisectRemaining;

    volatile boolean ended;
    volatile int pendingCount;
    /** Start of the latest GetRecords that found the shard empty and caught up; MIN_VALUE if none yet. */
    volatile long caughtUpPollStartNanos = Long.MIN_VALUE;

    EventSourceShard(String shardId, List<String> parentShardIds, boolean fromStartingPosition) {
        this.shardId = shardId;
        this.parentShardIds = List.copyOf(parentShardIds);
        this.fromStartingPosition = fromStartingPosition;
    }

    /** Read to its end and every record delivered (or discarded): its children may start. */
    boolean finished() {
        return ended && pendingCount == 0;
    }

    /** Nothing to deliver and, at a poll that began after {@code sinceNanos}, nothing more to read. */
    boolean idleSince(long sinceNanos) {
        return finished() || (pendingCount == 0 && caughtUpPollStartNanos != Long.MIN_VALUE
                && caughtUpPollStartNanos - sinceNanos >= 0);
    }

    void removeHead(int count) {
        for (int i = 0; i < count; i++) {
            pending.pollFirst();
        }
        pendingCount = pending.size();
        if (bisectLimit > 0) {
            bisectRemaining -= count;
            if (bisectRemaining <= 0) {
                bisectLimit = 0;
                bisectRemaining = 0;
            }
        }
    }
}
