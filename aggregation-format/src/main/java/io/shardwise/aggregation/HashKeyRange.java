package io.shardwise.aggregation;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The inclusive hash key range of a shard.
 *
 * @param start the first hash key of the shard
 * @param end the last hash key of the shard, not below {@code start}
 */
public record HashKeyRange(BigInteger start, BigInteger end) {

    public HashKeyRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (start.signum() < 0 || end.compareTo(HashKeys.MAX) > 0 || start.compareTo(end) > 0) {
            throw new IllegalArgumentException("hash key range " + start + ".." + end
                    + " must satisfy 0 <= start <= end <= 2^128-1 (" + HashKeys.MAX + ")");
        }
    }

    /** Parses the decimal bounds as ListShards returns them. */
    public static HashKeyRange of(String startDecimal, String endDecimal) {
        return new HashKeyRange(HashKeys.parseExplicit(startDecimal), HashKeys.parseExplicit(endDecimal));
    }

    /** True when {@code start <= hashKey <= end}. */
    public boolean contains(BigInteger hashKey) {
        return hashKey.compareTo(start) >= 0 && hashKey.compareTo(end) <= 0;
    }
}
