package io.shardwise.producer;

import java.time.Duration;

/**
 * What the {@link RecordAccumulator} needs: how records are packed and when a shard may send.
 *
 * @param aggregation pack a shard's user records into KPL aggregates
 * @param aggregationMaxBytes the largest aggregate
 * @param ordered one Kinesis record per shard per request and one request in flight per shard
 * @param maxBufferedTime how long a record may wait for others (the linger time)
 * @param recordTtl how long a record may be held before it expires
 * @param shardRateLimitFraction the rate limiter's ceiling as a fraction of a shard's limits; 0 turns it off
 * @param maxInFlightRequests bound on requests in flight over all shards
 * @param maxInFlightRequestsPerShard unordered mode: bound on requests in flight per shard
 * @param hotShardFraction the share of a shard's limits from which it counts as hot
 */
record AccumulatorConfig(
        boolean aggregation,
        int aggregationMaxBytes,
        boolean ordered,
        Duration maxBufferedTime,
        Duration recordTtl,
        double shardRateLimitFraction,
        int maxInFlightRequests,
        int maxInFlightRequestsPerShard,
        double hotShardFraction) {
}
