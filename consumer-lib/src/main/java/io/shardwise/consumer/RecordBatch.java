package io.shardwise.consumer;

import java.util.List;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * What one read of a shard returned; {@code childShards} is non-null once the shard's end was
 * reached. {@code gone}: the shard answered ResourceNotFoundException (trimmed after the retention
 * period, or deleted): it has ended as far as any reader can tell, with its children unknown here.
 */
record RecordBatch(List<Record> records, long millisBehindLatest, List<ChildShard> childShards, boolean gone) {
    RecordBatch(List<Record> records, long millisBehindLatest, List<ChildShard> childShards) {
        this(records, millisBehindLatest, childShards, false);
    }

    static RecordBatch shardGone() {
        return new RecordBatch(List.of(), 0, List.of(), true);
    }

    boolean shardEnded() {
        return childShards != null;
    }
}
