package io.shardwise.aggregation;

import java.util.Arrays;
import java.util.Objects;

/**
 * One user record out of a Kinesis record.
 *
 * @param partitionKey the user record's partition key (the Kinesis record's own key when plain)
 * @param explicitHashKey the user record's explicit hash key, or null
 * @param data the user payload
 * @param sequenceNumber the Kinesis record's sequence number, shared by all its sub-records
 * @param subSequenceNumber 0, 1, 2, ... in aggregate order; 0 for a plain record
 * @param aggregated true when the record came out of a KPL aggregate
 * @param outsideShardRange true when a shard range was given and this sub-record's hash key lies
 *     outside it (an aggregate that mixed shards); such records are delivered, never dropped
 */
public record DeaggregatedRecord(String partitionKey, String explicitHashKey, byte[] data,
                                 String sequenceNumber, long subSequenceNumber, boolean aggregated,
                                 boolean outsideShardRange) {

    public DeaggregatedRecord {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeaggregatedRecord r
                && Objects.equals(partitionKey, r.partitionKey)
                && Objects.equals(explicitHashKey, r.explicitHashKey)
                && Arrays.equals(data, r.data)
                && Objects.equals(sequenceNumber, r.sequenceNumber)
                && subSequenceNumber == r.subSequenceNumber
                && aggregated == r.aggregated
                && outsideShardRange == r.outsideShardRange;
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionKey, explicitHashKey, Arrays.hashCode(data), sequenceNumber,
                subSequenceNumber, aggregated, outsideShardRange);
    }

    /** Never shows the payload, only its size. */
    @Override
    public String toString() {
        return "DeaggregatedRecord[partitionKey=" + partitionKey + ", explicitHashKey=" + explicitHashKey
                + ", data=" + data.length + " bytes, sequenceNumber=" + sequenceNumber
                + ", subSequenceNumber=" + subSequenceNumber + ", aggregated=" + aggregated
                + ", outsideShardRange=" + outsideShardRange + "]";
    }
}
