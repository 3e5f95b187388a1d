package io.shardwise.lambda;

import java.util.Objects;

/**
 * Names one Kinesis record (usually a KPL aggregate) as one consumer sees it: the key under which
 * a {@link ProgressStore} keeps how far that consumer got inside it.
 *
 * <p>Progress is kept per aggregate, never per shard: with ParallelizationFactor &gt; 1 several
 * batches of one shard run at the same time and their sequence numbers interleave, and a position
 * per shard would make one batch skip another's records. The consumer (a function, alias or
 * mapping) is part of the key so that functions sharing a table never skip each other's records.
 *
 * @param consumerId who consumes: by default the invoked function's ARN (with its qualifier)
 * @param eventSourceArn the stream's ARN
 * @param shardId the shard
 * @param sequenceNumber the Kinesis record's sequence number, shared by its sub-records
 */
public record AggregateKey(String consumerId, String eventSourceArn, String shardId, String sequenceNumber) {

    public AggregateKey {
        Objects.requireNonNull(consumerId, "consumerId");
        Objects.requireNonNull(eventSourceArn, "eventSourceArn");
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
    }

    /** One string for a store's item key: the parts joined with {@code |}. */
    public String asString() {
        return consumerId + '|' + eventSourceArn + '|' + shardId + '|' + sequenceNumber;
    }

    // Explicit methods: a record's generated ones bootstrap java.lang.invoke (cold start).
    @Override
    public boolean equals(Object o) {
        return o instanceof AggregateKey k && consumerId.equals(k.consumerId)
                && eventSourceArn.equals(k.eventSourceArn) && shardId.equals(k.shardId)
                && sequenceNumber.equals(k.sequenceNumber);
    }

    @Override
    public int hashCode() {
        return asString().hashCode();
    }

    @Override
    public String toString() {
        return "AggregateKey[" + asString() + "]";
    }
}
