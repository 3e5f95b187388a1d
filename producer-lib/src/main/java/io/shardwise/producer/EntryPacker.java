package io.shardwise.producer;

import io.shardwise.aggregation.HashKey;
import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Takes one Kinesis record at a time from the front of a shard's queue: an aggregate sized to what the
 * shard's rate allowance takes in one entry window, or a plain record (no aggregation, or the queue
 * without a shard). Guarded by the accumulator's lock.
 */
final class EntryPacker {
    private static final long MIN_ENTRY_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long MAX_BASE_ENTRY_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_ENTRY_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final boolean aggregation;
    private final boolean ordered;
    private final int aggregationMaxBytes;
    /**
     * The time whose rate allowance one entry carries: half the linger time, between 20 and 50 ms, or
     * twice the smoothed round trip when that is longer (so one request in flight per shard still carries
     * the shard's whole rate), at most a second. Short windows mean small entries that fit a shard's
     * bucket while others write it too, and many entries per second, so that the one throttled entry
     * that tells a producer to slow down is a small share of what it sends.
     */
    private final long baseEntryWindowNanos;
    /** Smoothed PutRecords round trip (RFC 6298's SRTT, gain 1/8); 0 before the first answer. */
    private long smoothedRoundTripNanos;

    EntryPacker(AccumulatorConfig config) {
        this.aggregation = config.aggregation();
        this.ordered = config.ordered();
        this.aggregationMaxBytes = config.aggregationMaxBytes();
        long lingerNanos = config.maxBufferedTime().toNanos();
        this.baseEntryWindowNanos = Math.min(MAX_BASE_ENTRY_WINDOW_NANOS, Math.max(MIN_ENTRY_WINDOW_NANOS, lingerNanos / 2));
    }

    /** A PutRecords call was answered after {@code nanos}. */
    void roundTrip(long nanos) {
        smoothedRoundTripNanos = smoothedRoundTripNanos == 0 ? nanos : smoothedRoundTripNanos + (nanos - smoothedRoundTripNanos) / 8;
    }

    /** True when the queue holds a whole entry (or, unaggregated, a whole request) and should go at once. */
    boolean isFull(ShardQueue queue) {
        if (queue.isUnknown() || !aggregation) {
            int requestWorth = ordered && !queue.isUnknown() ? 1 : ProducerConfig.MAX_ENTRIES_PER_REQUEST;
            return queue.size() >= requestWorth;
        }
        return queue.queuedBytes() >= entryCap(queue);
    }

    /** The largest aggregate for this shard now: the configured maximum, or less when its rate allows less. */
    private int entryCap(ShardQueue queue) {
        long window = Math.min(MAX_ENTRY_WINDOW_NANOS, Math.max(baseEntryWindowNanos, 2 * smoothedRoundTripNanos));
        return queue.limiter().entryBytes(aggregationMaxBytes, window);
    }

    /**
     * The bytes the shard's bucket must hold before its next entry goes: a whole entry's worth (what is
     * queued, with room for the aggregate's framing, up to the entry cap), or the front record alone.
     */
    long wantedBytes(ShardQueue queue) {
        PendingRecord front = queue.peek();
        if (front == null) {
            return 0;
        }
        if (queue.isUnknown() || !aggregation) {
            return front.kinesisBytes;
        }
        long framed = queue.queuedBytes() + queue.queuedBytes() / 4 + 64;
        return Math.max(front.kinesisBytes, Math.min(entryCap(queue), framed));
    }

    /**
     * The next Kinesis record from the front of {@code queue}, or null when the queue without a shard may
     * add nothing more to this request ({@code keysInRequest}: in ordered mode a request may not carry two
     * records of one hash key, since the first could fail and the second be stored).
     */
    PutBatch.Entry next(ShardQueue queue, Set<HashKey> keysInRequest) {
        if (queue.isUnknown()) {
            PendingRecord front = queue.peek();
            if (keysInRequest != null && !keysInRequest.add(front.hashKey())) {
                return null;
            }
            return plain(queue, queue.poll());
        }
        return take(queue, (int) Math.min(entryCap(queue), queue.limiter().availableBytes()));
    }

    /** One Kinesis record of at most {@code maxBytes} from the front of a known shard's queue: an aggregate, or a plain record. */
    private PutBatch.Entry take(ShardQueue queue, int maxBytes) {
        if (!aggregation) {
            return plain(queue, queue.poll());
        }
        int limit = Math.max(1, maxBytes);
        RecordAggregator aggregator = new RecordAggregator(limit, Integer.MAX_VALUE);
        // Sized for the records of the front's size that fit, so a 1 MiB aggregate's list is not regrown.
        int expected = limit / Math.max(16, queue.peek().kinesisBytes) + 1;
        List<PendingRecord> taken = new ArrayList<>(Math.min(queue.size(), expected));
        PendingRecord next;
        while ((next = queue.peek()) != null && !next.held()) {
            if (aggregator.tryAdd(next.partitionKey, next.explicitHashKey, next.data)) {
                taken.add(queue.poll());
            } else if (aggregator.isEmpty()) {
                return plain(queue, queue.poll()); // larger than an aggregate may be: goes alone
            } else {
                break;
            }
        }
        return new PutBatch.Entry(queue, aggregator, taken);
    }

    private static PutBatch.Entry plain(ShardQueue queue, PendingRecord record) {
        KinesisRecord kinesisRecord = new KinesisRecord(record.partitionKey, record.explicitHashKey, record.data, 1, false);
        return new PutBatch.Entry(queue, kinesisRecord, List.of(record));
    }

    /** Undoes a take that did not fit into a request. */
    static void putBack(PutBatch.Entry entry) {
        entry.queue().addFirst(entry.userRecords());
    }
}
