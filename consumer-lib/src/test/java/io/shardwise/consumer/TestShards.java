package io.shardwise.consumer;

import software.amazon.awssdk.services.kinesis.model.HashKeyRange;
import software.amazon.awssdk.services.kinesis.model.SequenceNumberRange;
import software.amazon.awssdk.services.kinesis.model.Shard;

/** Shards as ListShards describes them, for the shard-sync tests. */
final class TestShards {
    private TestShards() {
    }

    /** Shard {@code id} over hash keys {@code from .. to}; a closed shard has an ending sequence number. */
    static Shard shard(String id, String parent, String from, String to, boolean closed) {
        return Shard.builder().shardId(id).parentShardId(parent)
                .hashKeyRange(HashKeyRange.builder().startingHashKey(from).endingHashKey(to).build())
                .sequenceNumberRange(SequenceNumberRange.builder().startingSequenceNumber("1")
                        .endingSequenceNumber(closed ? "99" : null).build())
                .build();
    }
}
