package io.shardwise.testkit.lambda;

import java.time.Instant;
import java.util.List;

/**
 * One shard as the local event source mapping follows it: its iterator and its lanes (one per
 * concurrent batch, {@code ParallelizationFactor} of them). The iterator fields are changed only by
 * the poller thread; the volatile fields are read by {@code awaitIdle}.
 */
final class EventSourceShard {

    final String shardId;
    final List<String> parentShardIds;
    /** Shards present when the mapping started use its starting position; later ones start at the trim horizon. */
    final boolean fromStartingPosition;
    final EventSourceLane[] lanes;

    String iterator;
    boolean opened;
    String lastFetchedSequence;
    long lastPollNanos;
    boolean lastPollHadRecords;

    volatile boolean ended;
    /** Start of the latest GetRecords that found the shard empty and caught up; MIN_VALUE if none yet. */
    volatile long caughtUpPollStartNanos = Long.MIN_VALUE;
    /** The same moment on the wall clock (tumbling windows close by it), or null. */
    volatile Instant caughtUpPollStart;

    EventSourceShard(String shardId, List<String> parentShardIds, boolean fromStartingPosition, int lanes) {
        this.shardId = shardId;
        this.parentShardIds = List.copyOf(parentShardIds);
        this.fromStartingPosition = fromStartingPosition;
        this.lanes = new EventSourceLane[lanes];
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = new EventSourceLane(i);
        }
    }

    /** The lane that owns a partition key: the same one for every record of the key. */
    EventSourceLane laneOf(String partitionKey) {
        return lanes[Math.floorMod(partitionKey == null ? 0 : partitionKey.hashCode(), lanes.length)];
    }

    int pendingCount() {
        int count = 0;
        for (EventSourceLane lane : lanes) {
            count += lane.pendingCount();
        }
        return count;
    }

    private boolean lanesIdle() {
        for (EventSourceLane lane : lanes) {
            if (!lane.idle()) {
                return false;
            }
        }
        return true;
    }

    /** Read to its end and every record delivered (or discarded): its children may start. */
    boolean finished() {
        return ended && lanesIdle();
    }

    /** Nothing to deliver and, at a poll that began after {@code sinceNanos}, nothing more to read. */
    boolean idleSince(long sinceNanos) {
        return finished() || (lanesIdle() && caughtUpPollStartNanos != Long.MIN_VALUE
                && caughtUpPollStartNanos - sinceNanos >= 0);
    }

    /** True when a poll that began at or after {@code moment} found the shard caught up. */
    boolean caughtUpSince(Instant moment) {
        Instant at = caughtUpPollStart;
        return at != null && !at.isBefore(moment);
    }
}
