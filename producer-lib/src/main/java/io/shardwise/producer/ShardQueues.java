package io.shardwise.producer;

import io.shardwise.aggregation.HashKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queues by shard, under the current shard map: which queue a hash key goes to. While the map is
 * unknown, or where it has a gap, records go to the queue without a shard (sent plain, never aggregated:
 * an aggregate must not span shards). Guarded by the accumulator's lock.
 */
final class ShardQueues {
    private final double rateLimitFraction;
    private ShardMap map = ShardMap.UNKNOWN;
    private Map<String, ShardQueue> queues = new LinkedHashMap<>();
    /** The queues in the order of {@code map.shards()}: routing a record is a search and an array read. */
    private ShardQueue[] byShardIndex = new ShardQueue[0];
    private ShardQueue unknown;

    ShardQueues(double rateLimitFraction) {
        this.rateLimitFraction = rateLimitFraction;
        this.unknown = newQueue(null, System.nanoTime());
    }

    ShardMap map() {
        return map;
    }

    /** The queue of the shard that owns {@code hashKey}, or the queue without a shard. */
    ShardQueue route(HashKey hashKey) {
        int index = map.indexFor(hashKey);
        if (index < 0) {
            if (unknown == null) {
                unknown = newQueue(null, System.nanoTime()); // a gap in the map: send plain until it heals
            }
            return unknown;
        }
        return byShardIndex[index];
    }

    /** The queues of the open shards, in shard map order. */
    List<ShardQueue> open() {
        return List.copyOf(queues.values());
    }

    /** The queues of the open shards and the queue without a shard, if there is one. */
    List<ShardQueue> all() {
        List<ShardQueue> all = new ArrayList<>(queues.size() + 1);
        all.addAll(queues.values());
        if (unknown != null) {
            all.add(unknown);
        }
        return all;
    }

    /**
     * Installs {@code next} when its shards differ from the current map's: a shard whose id and range are
     * unchanged keeps its queue. Returns the queues that left (still holding their records, for the caller
     * to move), or null when the shards are the same.
     */
    List<ShardQueue> install(ShardMap next, long now) {
        if (map.shards().equals(next.shards())) {
            return null;
        }
        Map<String, ShardQueue> nextQueues = new LinkedHashMap<>();
        for (ShardMap.Shard shard : next.shards()) {
            ShardQueue existing = queues.get(shard.shardId());
            nextQueues.put(shard.shardId(), existing != null && existing.shard.range().equals(shard.range())
                    ? existing : newQueue(shard, now));
        }
        List<ShardQueue> leaving = new ArrayList<>();
        for (ShardQueue queue : queues.values()) {
            if (nextQueues.get(queue.id()) != queue) {
                leaving.add(queue);
            }
        }
        if (unknown != null && next.isKnown()) {
            leaving.add(unknown);
            unknown = null;
        }
        map = next;
        queues = nextQueues;
        byShardIndex = new ShardQueue[next.shards().size()];
        for (int i = 0; i < byShardIndex.length; i++) {
            byShardIndex[i] = nextQueues.get(next.shards().get(i).shardId());
        }
        return leaving;
    }

    private ShardQueue newQueue(ShardMap.Shard shard, long now) {
        double fraction = shard == null ? 0 : rateLimitFraction;
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(fraction * ProducerConfig.SHARD_RECORDS_PER_SECOND,
                fraction * ProducerConfig.SHARD_BYTES_PER_SECOND, now);
        return new ShardQueue(shard, limiter, 32);
    }
}
