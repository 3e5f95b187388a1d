package io.shardwise.producer;

import io.shardwise.aggregation.HashKey;
import io.shardwise.aggregation.HashKeyRange;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The open shards of the stream, sorted by the start of their hash key range, so predicting a
 * record's shard is a binary search. Immutable: a refresh builds a new map.
 */
final class ShardMap {
    /** One open shard; its bounds are also kept as {@link HashKey}s, so routing compares two longs. */
    record Shard(String shardId, HashKeyRange range, HashKey start, HashKey end) {
        Shard(String shardId, HashKeyRange range) {
            this(shardId, range, HashKey.of(range.start()), HashKey.of(range.end()));
        }

        boolean contains(HashKey hashKey) {
            return start.compareTo(hashKey) <= 0 && hashKey.compareTo(end) <= 0;
        }
    }

    static final ShardMap UNKNOWN = new ShardMap(List.of());

    private final List<Shard> shards;

    private ShardMap(List<Shard> sortedShards) {
        this.shards = sortedShards;
    }

    static ShardMap of(List<Shard> openShards) {
        List<Shard> sorted = new ArrayList<>(openShards);
        sorted.sort(Comparator.comparing(s -> s.range().start()));
        return new ShardMap(List.copyOf(sorted));
    }

    boolean isKnown() {
        return !shards.isEmpty();
    }

    List<Shard> shards() {
        return shards;
    }

    /** The shard whose range holds the hash key, or null when the map is unknown or has a gap there. */
    Shard shardFor(BigInteger hashKey) {
        return shardFor(HashKey.of(hashKey));
    }

    /** The shard whose range holds the hash key, or null when the map is unknown or has a gap there. */
    Shard shardFor(HashKey hashKey) {
        int index = indexFor(hashKey);
        return index < 0 ? null : shards.get(index);
    }

    /** The position in {@link #shards()} of the shard whose range holds the hash key, or -1. */
    int indexFor(HashKey hashKey) {
        int low = 0;
        int high = shards.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            Shard shard = shards.get(middle);
            if (shard.end().compareTo(hashKey) < 0) {
                low = middle + 1;
            } else if (shard.start().compareTo(hashKey) > 0) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    Shard byId(String shardId) {
        for (Shard shard : shards) {
            if (shard.shardId().equals(shardId)) {
                return shard;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return shards.stream().map(Shard::shardId).toList().toString();
    }
}
