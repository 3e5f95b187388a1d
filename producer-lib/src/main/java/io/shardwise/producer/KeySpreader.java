package io.shardwise.producer;

import io.shardwise.kinesis.StreamReference;
import io.shardwise.aggregation.HashKey;
import io.shardwise.aggregation.HashKeys;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opt-in key spreading ({@code keySpreading(true, buckets)}): moves records off a hot shard by giving
 * them an explicit hash key that another shard owns.
 *
 * <ul>
 *   <li>An unordered record whose natural shard is hot goes, round robin, to the colder half of the
 *       shards that are not hot (so spread records do not make a new hot shard).
 *   <li>An ordered record with an ordering sub-key, of a key that is among its hot shard's heaviest, goes
 *       to one of {@code spreadBuckets} buckets chosen from the sub-key; bucket b lands on the b-th shard
 *       after the key's own. A key stays spread once spread (order per sub-key needs a stable bucket), and
 *       its first spread records wait for a <em>barrier</em>: every record of the key held when it was
 *       spread must have a result first, so that no spread record overtakes an earlier one.
 * </ul>
 *
 * <p>Decisions read the shards' hot flags, rates and key sketches, which the accumulator measures and
 * guards; this class's own state is guarded by the same monitor (the accumulator's), except the map of
 * spread keys, which {@code send} reads on every ordered record without taking a lock.
 */
final class KeySpreader {
    private static final Logger log = LoggerFactory.getLogger(KeySpreader.class);
    /** Bound on the keys spread at once (each holds a barrier and its buckets' hash keys). */
    static final int MAX_SPREAD_KEYS = 1024;
    /** How many of a hot shard's heaviest keys are candidates for spreading. */
    static final int HOT_KEYS = 5;

    /** Where a spread record goes, and what it must wait for (null when nothing). */
    record Spread(String explicitHashKey, HashKey hashKey, CompletableFuture<Void> barrier) {}

    private final RecordAccumulator accumulator;
    private final StreamReference stream;
    private final boolean ordered;
    private final int buckets;
    /** Hot keys whose ordered records are spread over buckets, with the barrier of the switch. */
    private final Map<String, CompletableFuture<Void>> spreadKeys = new ConcurrentHashMap<>();
    /** The explicit hash keys of each spread hot key's sub-key buckets, fixed at first use. */
    private final Map<String, String[]> bucketHashKeys = new HashMap<>();
    /** Shards open to unordered spreading, coldest first; rebuilt once per measuring window. */
    private List<ShardQueue> coldShards = List.of();
    private long coldShardsWindow = -1;
    private int spreadCursor;

    KeySpreader(RecordAccumulator accumulator, StreamReference stream, boolean ordered, int buckets) {
        this.accumulator = accumulator;
        this.stream = stream;
        this.ordered = ordered;
        this.buckets = buckets;
    }

    /** Where {@code record} (with no explicit hash key of its own) goes instead of its natural shard, or null. */
    Spread spread(ProducerRecord record, HashKey hashKey) {
        if (record.unordered() || !ordered) {
            String target = spreadTarget(hashKey);
            return target == null ? null : new Spread(target, HashKey.of(new BigInteger(target)), null);
        }
        if (record.orderingSubKey() == null) {
            return null;
        }
        CompletableFuture<Void> barrier = barrier(record.partitionKey(), hashKey);
        if (barrier == null) {
            return null;
        }
        int bucket = Math.floorMod(record.orderingSubKey().hashCode(), buckets);
        String target = bucketHashKey(record.partitionKey(), hashKey, bucket);
        return new Spread(target, HashKey.of(new BigInteger(target)), barrier);
    }

    /**
     * For an ordered record with a sub-key: null to leave it on its key's shard, or the barrier its
     * spread record must wait for. A key is spread once its shard is hot and it is among the shard's
     * heaviest keys, and stays spread.
     */
    private CompletableFuture<Void> barrier(String partitionKey, HashKey hashKey) {
        CompletableFuture<Void> barrier = spreadKeys.get(partitionKey);
        if (barrier != null) {
            return barrier;
        }
        if (spreadKeys.size() >= MAX_SPREAD_KEYS || !isHotKey(hashKey, partitionKey)) {
            return null;
        }
        synchronized (spreadKeys) {
            barrier = spreadKeys.get(partitionKey);
            if (barrier == null) {
                barrier = barrierFor(partitionKey);
                spreadKeys.put(partitionKey, barrier);
                log.warn("stream {}: hot partition key '{}' is now spread over {} buckets by its ordering sub-key",
                        stream, partitionKey, buckets);
            }
            return barrier;
        }
    }

    /** True when the record's natural shard is hot and {@code partitionKey} is among its heavy keys. */
    private boolean isHotKey(HashKey hashKey, String partitionKey) {
        synchronized (accumulator) {
            ShardQueue natural = accumulator.naturalQueue(hashKey);
            return natural != null && natural.isHot() && natural.isHeavyKey(partitionKey, HOT_KEYS);
        }
    }

    /**
     * A future that completes once every record of {@code partitionKey} now held (queued or in flight)
     * has a result: records of the key moved to another shard wait for it, so they cannot overtake.
     */
    private CompletableFuture<Void> barrierFor(String partitionKey) {
        List<CompletableFuture<SendResult>> earlier = new ArrayList<>();
        accumulator.forEachHeld(record -> {
            if (record.partitionKey.equals(partitionKey)) {
                earlier.add(record);
            }
        });
        return CompletableFuture.allOf(earlier.toArray(CompletableFuture[]::new)).handle((done, error) -> null);
    }

    /**
     * For an unordered record whose natural shard is hot: the explicit hash key of a cold shard to send
     * it to instead, or null to leave it where it is.
     */
    private String spreadTarget(HashKey hashKey) {
        synchronized (accumulator) {
            ShardQueue natural = accumulator.naturalQueue(hashKey);
            if (natural == null || !natural.isHot()) {
                return null;
            }
            List<ShardQueue> cold = coldShards();
            if (cold.isEmpty()) {
                return null;
            }
            ShardQueue target = cold.get(Math.floorMod(spreadCursor++, cold.size()));
            return target.isRetired() ? null : target.shard.range().start().toString();
        }
    }

    /** The colder half of the shards not hot, coldest first, as measured by the last closed window. */
    private List<ShardQueue> coldShards() {
        long window = accumulator.windowsClosed();
        if (window != coldShardsWindow) {
            coldShardsWindow = window;
            List<ShardQueue> cold = new ArrayList<>();
            for (ShardQueue queue : accumulator.shardQueues()) {
                if (!queue.isHot()) {
                    cold.add(queue);
                }
            }
            cold.sort((a, b) -> Double.compare(a.bytesPerSecond(), b.bytesPerSecond()));
            // Spread onto the colder half only, so spread records do not make a new hot shard.
            coldShards = window == 0 ? List.of() : List.copyOf(cold.subList(0, (cold.size() + 1) / 2));
        }
        return coldShards;
    }

    /**
     * The explicit hash key of sub-key bucket {@code bucket} of a spread hot key: bucket b goes to the
     * b-th shard after the key's own (bucket 0 stays home), so the buckets land on distinct shards and use
     * the capacity every other shard has left, instead of wherever a hash of the bucket falls (two buckets
     * on one shard, none on another). Fixed once per key and bucket: a sub-key's records keep one shard.
     */
    private String bucketHashKey(String partitionKey, HashKey hashKey, int bucket) {
        synchronized (accumulator) {
            String[] keys = bucketHashKeys.computeIfAbsent(partitionKey, k -> new String[buckets]);
            if (keys[bucket] == null) {
                ShardMap map = accumulator.map();
                int home = map.indexFor(hashKey);
                if (!map.isKnown() || home < 0) {
                    return HashKeys.ofPartitionKey(partitionKey + "\u0000" + bucket).toString();
                }
                ShardMap.Shard target = map.shards().get((home + bucket) % map.shards().size());
                BigInteger start = target.range().start();
                keys[bucket] = start.add(target.range().end().subtract(start).shiftRight(1)).toString();
            }
            return keys[bucket];
        }
    }
}
