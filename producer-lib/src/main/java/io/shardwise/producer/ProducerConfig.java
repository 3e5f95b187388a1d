package io.shardwise.producer;

import io.shardwise.kinesis.StreamReference;
import java.time.Duration;

/**
 * Every option of a producer, checked once by the builder, in the values each stage reads: {@code send}
 * (the record size, the memory bound, how long to wait for room), the {@link AccumulatorConfig
 * accumulator}, the {@link SenderConfig sender} and key spreading.
 *
 * @param spreadBuckets the sub-key buckets of a spread ordered hot key; meaningful with {@code keySpreading}
 */
record ProducerConfig(
        StreamReference stream,
        int maxRecordBytes,
        long maxBufferedBytes,
        Duration maxBlockTime,
        AccumulatorConfig accumulator,
        SenderConfig sender,
        boolean keySpreading,
        int spreadBuckets) {

    /** Kinesis's per-shard write limits. */
    static final int SHARD_RECORDS_PER_SECOND = 1_000;
    static final int SHARD_BYTES_PER_SECOND = 1024 * 1024;
    /** PutRecords limits. */
    static final int MAX_ENTRIES_PER_REQUEST = 500;
    static final int MAX_BYTES_PER_REQUEST = 5 * 1024 * 1024;
}
