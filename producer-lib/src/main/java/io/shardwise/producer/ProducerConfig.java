package io.shardwise.producer;

import java.time.Duration;

/** Every option of a producer, checked once by the builder. */
record ProducerConfig(
        StreamId stream,
        boolean aggregation,
        int aggregationMaxBytes,
        boolean ordered,
        Duration maxBufferedTime,
        long maxBufferedBytes,
        Duration maxBlockTime,
        Duration recordTtl,
        int maxRecordBytes,
        Duration shardMapRefreshInterval,
        double shardRateLimitFraction,
        int maxInFlightRequests,
        int maxInFlightRequestsPerShard,
        Duration retryBaseDelay,
        Duration retryMaxDelay,
        Duration requestTimeout,
        boolean keySpreading,
        int spreadBuckets,
        double hotShardFraction) {

    /** Kinesis's per-shard write limits. */
    static final int SHARD_RECORDS_PER_SECOND = 1_000;
    static final int SHARD_BYTES_PER_SECOND = 1024 * 1024;
    /** PutRecords limits. */
    static final int MAX_ENTRIES_PER_REQUEST = 500;
    static final int MAX_BYTES_PER_REQUEST = 5 * 1024 * 1024;
}
