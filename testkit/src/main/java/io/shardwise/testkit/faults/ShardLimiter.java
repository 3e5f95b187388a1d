package io.shardwise.testkit.faults;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Kinesis's per-shard write limits, applied record by record: finds a record's shard from its
 * hash key and admits it only while that shard's {@link ShardLimitBucket} has room.
 */
final class ShardLimiter {

    /** The record's shard (null when unknown) and whether the record fits the shard's budget. */
    record Verdict(String shardId, boolean admitted) {
    }

    private final ShardLimitShardMap shardMap = new ShardLimitShardMap();
    private final Map<String, ShardLimitBucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    ShardLimiter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Admits one record and charges it to its shard, or refuses it. A record whose shard cannot be
     * found (unknown stream, malformed explicit hash key) is admitted: upstream will reject it itself.
     */
    Verdict admit(String stream, String partitionKey, String explicitHashKey, int dataLength,
                  ShardLimitShardMap.Lister lister) throws IOException {
        if (stream == null || partitionKey == null) {
            return new Verdict(null, true);
        }
        BigInteger hashKey;
        try {
            hashKey = ShardLimitShardMap.hashKey(partitionKey, explicitHashKey);
        } catch (NumberFormatException e) {
            return new Verdict(null, true);
        }
        String shardId = shardMap.shardFor(stream, hashKey, lister);
        if (shardId == null) {
            return new Verdict(null, true);
        }
        long now = nanoClock.getAsLong();
        int size = dataLength + partitionKey.getBytes(StandardCharsets.UTF_8).length;
        ShardLimitBucket bucket = buckets.computeIfAbsent(stream + '\n' + shardId, k -> new ShardLimitBucket(now));
        return new Verdict(shardId, bucket.tryTake(size, now));
    }
}
