package io.shardwise.producer;

import io.shardwise.aggregation.KinesisRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One PutRecords request being assembled or in flight: its entries and the queues they came from. */
final class PutBatch {
    /** One Kinesis record of the request and the user records it carries, in order. */
    record Entry(ShardQueue queue, KinesisRecord record, List<PendingRecord> userRecords) {}

    final List<Entry> entries = new ArrayList<>();
    final Set<ShardQueue> queues = new LinkedHashSet<>();
    long bytes;
    long sentAtNanos;
    java.time.Instant sentAt;

    boolean fits(int recordBytes) {
        return entries.size() < ProducerConfig.MAX_ENTRIES_PER_REQUEST
                && bytes + recordBytes <= ProducerConfig.MAX_BYTES_PER_REQUEST;
    }

    void add(Entry entry) {
        entries.add(entry);
        queues.add(entry.queue());
        bytes += entry.record().sizeBytes();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int userRecordCount() {
        int count = 0;
        for (Entry entry : entries) {
            count += entry.userRecords().size();
        }
        return count;
    }
}
