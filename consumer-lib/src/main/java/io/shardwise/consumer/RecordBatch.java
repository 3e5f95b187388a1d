package io.shardwise.consumer;

import java.util.List;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.Record;

/** What one read of a shard returned; {@code childShards} is non-null once the shard's end was reached. */
record RecordBatch(List<Record> records, long millisBehindLatest, List<ChildShard> childShards) {
    boolean shardEnded() {
        return childShards != null;
    }
}
