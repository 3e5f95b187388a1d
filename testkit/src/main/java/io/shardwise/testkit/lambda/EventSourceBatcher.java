package io.shardwise.testkit.lambda;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Decides when a lane's next invocation is due and what it delivers: up to a batch of the lane's
 * first records (fewer while a failed batch is bisected) once a full batch is there, the batching
 * window has passed, the shard ended or the head is being retried. With a tumbling window a batch
 * holds one window's records, and a window ends with a final invocation without records.
 *
 * <p>Called with the lane's monitor held.
 */
final class EventSourceBatcher {

    private final EventSourceSettings settings;

    EventSourceBatcher(EventSourceSettings settings) {
        this.settings = settings;
    }

    /** The lane's next invocation, or null when none is due yet. */
    EventSourceBatch next(EventSourceShard shard, EventSourceLane lane) {
        return settings.windowed() ? nextInWindow(shard, lane) : nextBatch(shard, lane);
    }

    private EventSourceBatch nextBatch(EventSourceShard shard, EventSourceLane lane) {
        if (lane.pending.isEmpty() || !due(shard, lane, lane.pending.size())) {
            return null;
        }
        List<Record> batch = new ArrayList<>();
        for (Record r : lane.pending) {
            if (batch.size() == limit(lane)) {
                break;
            }
            batch.add(r);
        }
        return EventSourceBatch.of(batch);
    }

    /**
     * Tumbling windows: a batch holds records of one window only (by arrival time, windows
     * aligned to the epoch). A window ends with a final invocation without records once a record
     * of a later window is next, or once its end has passed and a poll after it found the shard
     * caught up (or the shard ended).
     */
    private EventSourceBatch nextInWindow(EventSourceShard shard, EventSourceLane lane) {
        Record head = lane.pending.peekFirst();
        if (lane.windowStart != null) {
            boolean headInWindow = head != null && windowStartOf(head).equals(lane.windowStart);
            if (!headInWindow) {
                boolean over = head != null || (!Instant.now().isBefore(lane.windowEnd)
                        && (shard.ended || shard.caughtUpSince(lane.windowEnd)));
                return over ? new EventSourceBatch(List.of(), true, lane.windowStart, lane.windowEnd,
                        lane.windowState) : null;
            }
        }
        if (head == null) {
            return null;
        }
        Instant start = windowStartOf(head);
        List<Record> batch = new ArrayList<>();
        for (Record r : lane.pending) {
            if (batch.size() == limit(lane) || !windowStartOf(r).equals(start)) {
                break;
            }
            batch.add(r);
        }
        boolean windowComplete = batch.size() < lane.pending.size(); // a later window's record follows
        if (!windowComplete && !due(shard, lane, batch.size())) {
            return null;
        }
        if (lane.windowStart == null) {
            lane.windowStart = start;
            lane.windowEnd = start.plus(settings.tumblingWindow());
            lane.windowState = Map.of();
        }
        return new EventSourceBatch(batch, false, lane.windowStart, lane.windowEnd, lane.windowState);
    }

    /** The most records one invocation of the lane takes: a batch, or the current half while bisecting. */
    private int limit(EventSourceLane lane) {
        return lane.bisectLimit > 0 ? Math.min(settings.batchSize(), lane.bisectLimit) : settings.batchSize();
    }

    private boolean due(EventSourceShard shard, EventSourceLane lane, int available) {
        return available >= limit(lane) || shard.ended || lane.failedAttempts > 0 || lane.bisectLimit > 0
                || System.nanoTime() - lane.pendingSinceNanos >= settings.batchingWindow().toNanos();
    }

    private Instant windowStartOf(Record record) {
        long size = settings.tumblingWindow().toMillis();
        long arrival = record.approximateArrivalTimestamp().toEpochMilli();
        return Instant.ofEpochMilli(Math.floorDiv(arrival, size) * size);
    }
}
