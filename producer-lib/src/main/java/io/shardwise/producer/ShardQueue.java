package io.shardwise.producer;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything the producer holds and knows for one shard: the queue of user records in send order
 * (retries go back to its front), what is in flight, the shard's adaptive rate limiter, its measured
 * load and a sketch of its heaviest keys. The queue for records whose shard is not yet known has no
 * shard ({@link #shard} null) and covers the whole hash key space. Guarded by the accumulator's lock.
 */
final class ShardQueue {
    static final String UNKNOWN_ID = "unknown";

    static final int KEY_SAMPLING = 8;

    final ShardMap.Shard shard;
    final ArrayDeque<PendingRecord> records = new ArrayDeque<>();
    final AdaptiveRateLimiter limiter;
    final SpaceSaving heavyKeys;
    long queuedBytes;
    int inFlightRequests;
    int inFlightRecords;
    long retryNotBeforeNanos;
    boolean retired;
    /** Set when this shard's aggregate landed elsewhere: nothing more is sent until the map is refreshed. */
    boolean heldForMap;

    // Offered load: what send() put into this queue, measured per window and smoothed.
    long windowRecords;
    long windowBytes;
    double recordsPerSecond;
    double bytesPerSecond;
    long throttles;
    long windowThrottles;
    boolean hot;
    long lastHotWarningNanos = Long.MIN_VALUE;

    ShardQueue(ShardMap.Shard shard, AdaptiveRateLimiter limiter, int sketchCapacity) {
        this.shard = shard;
        this.limiter = limiter;
        this.heavyKeys = new SpaceSaving(sketchCapacity);
    }

    String id() {
        return shard == null ? UNKNOWN_ID : shard.shardId();
    }

    boolean isUnknown() {
        return shard == null;
    }

    boolean overlaps(ShardQueue other) {
        if (shard == null || other.shard == null) {
            return true;
        }
        return shard.range().start().compareTo(other.shard.range().end()) <= 0
                && other.shard.range().start().compareTo(shard.range().end()) <= 0;
    }

    void addLast(PendingRecord record) {
        records.addLast(record);
        queuedBytes += record.kinesisBytes;
    }

    /** Puts records back at the front, keeping their relative order. */
    void addFirst(List<PendingRecord> inOrder) {
        for (int i = inOrder.size() - 1; i >= 0; i--) {
            records.addFirst(inOrder.get(i));
            queuedBytes += inOrder.get(i).kinesisBytes;
        }
    }

    PendingRecord poll() {
        PendingRecord record = records.pollFirst();
        if (record != null) {
            queuedBytes -= record.kinesisBytes;
        }
        return record;
    }

    void countOffered(PendingRecord record) {
        windowRecords++;
        windowBytes += record.kinesisBytes;
        // The sketch sees a random 1/KEY_SAMPLING of records: heavy hitters stay heavy in a uniform
        // sample, and the hot path does not pay a sketch update (a scan of k counters on a miss) per record.
        if (ThreadLocalRandom.current().nextInt(KEY_SAMPLING) == 0) {
            heavyKeys.add(record.partitionKey);
        }
    }

    /** Closes a measuring window of {@code seconds}: smooths the rates (EWMA, weight 1/2) and ages the sketch. */
    void closeWindow(double seconds) {
        recordsPerSecond = (recordsPerSecond + windowRecords / seconds) / 2;
        bytesPerSecond = (bytesPerSecond + windowBytes / seconds) / 2;
        windowRecords = 0;
        windowBytes = 0;
        heavyKeys.decay();
    }

    ShardState state(int hotKeyCount) {
        return new ShardState(id(), records.size(), inFlightRecords, inFlightRequests, recordsPerSecond,
                bytesPerSecond, limiter.enabled() ? limiter.recordsPerSecond() : Double.POSITIVE_INFINITY,
                limiter.enabled() ? limiter.bytesPerSecond() : Double.POSITIVE_INFINITY, throttles, hot,
                heavyKeys.top(hotKeyCount, KEY_SAMPLING));
    }
}
