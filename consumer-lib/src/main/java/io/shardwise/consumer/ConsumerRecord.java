package io.shardwise.consumer;

import java.time.Instant;

/**
 * One user record as the processor sees it: a plain Kinesis record, or one sub-record of a KPL
 * aggregate (then {@code aggregated} is true and sub-records share the sequence number).
 * {@code outsideShardRange} marks a sub-record whose hash key lies outside the shard's range: it is
 * delivered anyway (the KCL drops it), so nothing is lost.
 */
public record ConsumerRecord(String shardId, String partitionKey, String explicitHashKey, byte[] data,
                             String sequenceNumber, long subSequenceNumber, Instant approximateArrivalTimestamp,
                             boolean aggregated, boolean outsideShardRange) {

    /** This record's position, for {@link Checkpointer#checkpoint(Checkpoint)}. */
    public Checkpoint position() {
        return new Checkpoint(sequenceNumber, subSequenceNumber);
    }
}
