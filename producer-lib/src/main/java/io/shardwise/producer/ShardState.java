package io.shardwise.producer;

import java.util.List;

/**
 * A snapshot of what the producer holds and measures for one shard.
 *
 * @param shardId the shard (or {@code "unknown"} for records waiting for the shard map)
 * @param bufferedRecords user records queued, not yet in a request
 * @param inFlightRecords user records in requests awaiting an answer
 * @param inFlightRequests requests awaiting an answer that carry this shard's records
 * @param recordsPerSecond measured Kinesis records per second put to the shard
 * @param bytesPerSecond measured bytes per second put to the shard
 * @param recordRateLimit the limiter's current Kinesis-records-per-second allowance
 * @param byteRateLimit the limiter's current bytes-per-second allowance
 * @param throttles how many times the shard was throttled so far
 * @param hot true when the shard runs near its limit or is being throttled
 * @param hotKeys the heaviest partition keys of the shard, heaviest first
 */
public record ShardState(String shardId, int bufferedRecords, int inFlightRecords, int inFlightRequests,
                         double recordsPerSecond, double bytesPerSecond, double recordRateLimit,
                         double byteRateLimit, long throttles, boolean hot, List<HotKey> hotKeys) {
    public ShardState {
        hotKeys = List.copyOf(hotKeys);
    }
}
