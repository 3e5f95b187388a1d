package io.shardwise.consumer;

import java.time.Instant;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Where a retriever reads a shard from: right after the last record it read, once it has read one;
 * before that, at the lease's checkpoint, or at the consumer's initial position when the lease has
 * none. Polling (GetShardIterator) and fan-out (SubscribeToShard) start the same way.
 *
 * @param atTimestamp the initial position's time, for a lease that starts {@code AT_TIMESTAMP}; else null
 */
record ReadStart(String shardId, Checkpoint checkpoint, Instant atTimestamp) {

    /** The iterator type to read from, given the last sequence number read (null when none yet). */
    ShardIteratorType iteratorType(String lastRead) {
        if (lastRead != null) {
            return ShardIteratorType.AFTER_SEQUENCE_NUMBER;
        }
        if (checkpoint.isPosition()) {
            // AT, not AFTER: a checkpoint may sit inside an aggregate; the worker skips what is done.
            return ShardIteratorType.AT_SEQUENCE_NUMBER;
        }
        if (checkpoint.equals(Checkpoint.LATEST)) {
            return ShardIteratorType.LATEST;
        }
        if (checkpoint.equals(Checkpoint.AT_TIMESTAMP) && atTimestamp != null) {
            return ShardIteratorType.AT_TIMESTAMP;
        }
        return ShardIteratorType.TRIM_HORIZON;
    }

    /** The sequence number that goes with {@link #iteratorType}, or null when it takes none. */
    String sequenceNumber(String lastRead) {
        if (lastRead != null) {
            return lastRead;
        }
        return checkpoint.isPosition() ? checkpoint.sequenceNumber() : null;
    }

    /** The time that goes with {@link #iteratorType}, or null when it takes none. */
    Instant timestamp(String lastRead) {
        return iteratorType(lastRead) == ShardIteratorType.AT_TIMESTAMP ? atTimestamp : null;
    }
}
