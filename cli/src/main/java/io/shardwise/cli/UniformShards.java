package io.shardwise.cli;

import io.shardwise.aggregation.HashKeys;
import java.math.BigInteger;

/**
 * The shards of a stream created with N shards and never resharded: the hash key space 0..2^128-1
 * split into N equal ranges, the last one taking the remainder.
 */
final class UniformShards {

    private final int count;
    private final BigInteger width;

    UniformShards(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("--shards " + count + " must be at least 1");
        }
        this.count = count;
        this.width = HashKeys.MAX.add(BigInteger.ONE).divide(BigInteger.valueOf(count));
    }

    /** The index 0..N-1 of the shard the hash key falls into. */
    int shardOf(BigInteger hashKey) {
        return hashKey.divide(width).min(BigInteger.valueOf(count - 1)).intValueExact();
    }
}
