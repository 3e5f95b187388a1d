package io.shardwise.kcl;

import io.shardwise.consumer.Checkpoint;
import io.shardwise.consumer.ConsumerRecord;
import java.nio.ByteBuffer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/** Converts Shardwise's records and positions to the KCL's and back. */
final class KclPositions {
    private KclPositions() {
    }

    /** The KCL's view of a position; sentinels map to the KCL's sentinels of the same name. */
    static ExtendedSequenceNumber toKcl(Checkpoint position) {
        if (position == null) {
            return null;
        }
        return switch (position.sequenceNumber()) {
            case "TRIM_HORIZON" -> ExtendedSequenceNumber.TRIM_HORIZON;
            case "LATEST" -> ExtendedSequenceNumber.LATEST;
            case "AT_TIMESTAMP" -> ExtendedSequenceNumber.AT_TIMESTAMP;
            case "SHARD_END" -> ExtendedSequenceNumber.SHARD_END;
            default -> new ExtendedSequenceNumber(position.sequenceNumber(), position.subSequenceNumber());
        };
    }

    /**
     * A position a processor names by sequence and sub-sequence number. Whatever is not a position
     * (null, negative, not a decimal sequence number) is an {@link IllegalArgumentException}, as the
     * KCL's checkpointer answers.
     */
    static Checkpoint fromKcl(String sequenceNumber, long subSequenceNumber) {
        if (sequenceNumber == null) {
            throw new IllegalArgumentException("cannot checkpoint at a null sequence number; pass the sequence"
                    + " number of a record this processor received");
        }
        return new Checkpoint(sequenceNumber, subSequenceNumber);
    }

    /**
     * The KCL's record for a Shardwise record. The data is a fresh array-backed buffer per record, so
     * a processor may read it (and consume its position) however it likes.
     */
    static KinesisClientRecord toKcl(ConsumerRecord record) {
        return KinesisClientRecord.builder()
                .sequenceNumber(record.sequenceNumber())
                .subSequenceNumber(record.subSequenceNumber())
                .aggregated(record.aggregated())
                .partitionKey(record.partitionKey())
                .explicitHashKey(record.explicitHashKey())
                .approximateArrivalTimestamp(record.approximateArrivalTimestamp())
                .data(ByteBuffer.wrap(record.data()))
                .build();
    }
}
