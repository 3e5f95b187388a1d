package io.shardwise.lambda;

import java.util.List;

/**
 * One Kinesis record of an event and the user records it holds (one for a plain or undecodable
 * record, several for a KPL aggregate), without the sub-records dropped outside the shard's hash
 * key range ({@code droppedOutsideShardRange} of them). Failures are reported by its sequence number.
 */
record ParentRecord(String eventSourceArn, String shardId, String sequenceNumber, boolean aggregated,
                    List<KinesisUserRecord> userRecords, int droppedOutsideShardRange) {

    /** The shard this record belongs to, for per-shard bookkeeping. */
    ShardKey shard() {
        return new ShardKey(eventSourceArn, shardId);
    }

    /** Explicit equals and hashCode: a record's generated ones bootstrap java.lang.invoke (cold start). */
    record ShardKey(String eventSourceArn, String shardId) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ShardKey k && java.util.Objects.equals(eventSourceArn, k.eventSourceArn)
                    && java.util.Objects.equals(shardId, k.shardId);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(eventSourceArn) * 31 + java.util.Objects.hashCode(shardId);
        }
    }
}
