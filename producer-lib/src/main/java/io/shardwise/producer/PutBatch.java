package io.shardwise.producer;

import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One PutRecords request being assembled or in flight: its entries and the queues they came from. */
final class PutBatch {
    /**
     * One Kinesis record of the request and the user records it carries, in order. An aggregate is
     * chosen under the accumulator's lock (which records, and its exact size) but encoded later, by
     * {@link #record()}, on the thread that sends it: the checksum and copy of up to an aggregate's
     * bytes then never hold up {@code send}.
     */
    static final class Entry {
        private final ShardQueue queue;
        private final List<PendingRecord> userRecords;
        private final int sizeBytes;
        private final boolean aggregated;
        private RecordAggregator pending;
        private KinesisRecord record;

        Entry(ShardQueue queue, KinesisRecord record, List<PendingRecord> userRecords) {
            this.queue = queue;
            this.record = record;
            this.userRecords = userRecords;
            this.sizeBytes = record.sizeBytes();
            this.aggregated = record.aggregated();
        }

        Entry(ShardQueue queue, RecordAggregator pending, List<PendingRecord> userRecords) {
            this.queue = queue;
            this.pending = pending;
            this.userRecords = userRecords;
            this.sizeBytes = pending.sizeBytes();
            this.aggregated = pending.recordCount() > 1; // one record is emitted plain
        }

        ShardQueue queue() {
            return queue;
        }

        List<PendingRecord> userRecords() {
            return userRecords;
        }

        /** Size as Kinesis counts it (data plus partition key), known before encoding. */
        int sizeBytes() {
            return sizeBytes;
        }

        /** True when the Kinesis record is a KPL aggregate (two or more user records). */
        boolean aggregated() {
            return aggregated;
        }

        /** The Kinesis record, encoded on first use. */
        KinesisRecord record() {
            if (record == null) {
                if (pending == null) {
                    throw new IllegalStateException("the Kinesis record was released after its request was built");
                }
                record = pending.emit();
                pending = null;
            }
            return record;
        }

        /** Drops the encoded record once its request body exists, so its bytes can be collected young. */
        void release() {
            record = null;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Set<ShardQueue> queues = new LinkedHashSet<>();
    private long bytes;
    private long sentAtNanos;
    private java.time.Instant sentAt;

    boolean fits(int recordBytes) {
        return entries.size() < ProducerConfig.MAX_ENTRIES_PER_REQUEST
                && bytes + recordBytes <= ProducerConfig.MAX_BYTES_PER_REQUEST;
    }

    /**
     * Adds an entry and counts it in flight on its queue: its user records, and this request once per
     * queue. {@link #finished()} takes both back.
     */
    void add(Entry entry) {
        entries.add(entry);
        if (queues.add(entry.queue())) {
            entry.queue().requestStarted();
        }
        entry.queue().recordsStarted(entry.userRecords().size());
        bytes += entry.sizeBytes();
    }

    /** The answer arrived (or the call failed): nothing of this request is in flight any more. */
    void finished() {
        for (ShardQueue queue : queues) {
            queue.requestFinished();
        }
        for (Entry entry : entries) {
            entry.queue().recordsFinished(entry.userRecords().size());
        }
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    boolean carries(ShardQueue queue) {
        return queues.contains(queue);
    }

    List<Entry> entries() {
        return entries;
    }

    /** The queues whose records this request carries, in the order they joined it. */
    Set<ShardQueue> queues() {
        return queues;
    }

    void markSent(java.time.Instant wallClock, long nanos) {
        this.sentAt = wallClock;
        this.sentAtNanos = nanos;
    }

    java.time.Instant sentAt() {
        return sentAt;
    }

    long sentAtNanos() {
        return sentAtNanos;
    }
}
