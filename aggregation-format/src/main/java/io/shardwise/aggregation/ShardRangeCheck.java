package io.shardwise.aggregation;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Decides per key table entry, once, whether a sub-record's hash key lies in the shard: many
 * sub-records share keys, and hashing a partition key costs an MD5. A partition key's hash is
 * compared as two unsigned 64-bit halves, without a BigInteger per key.
 */
final class ShardRangeCheck {

    private static final byte UNKNOWN = 0;
    private static final byte INSIDE = 1;
    private static final byte OUTSIDE = 2;

    private final HashKeyRange range;
    private final long startHigh;
    private final long startLow;
    private final long endHigh;
    private final long endLow;
    private byte[] byPartitionKey = new byte[16];
    private byte[] byExplicitHashKey = new byte[16];

    ShardRangeCheck(HashKeyRange range) {
        this.range = range;
        HashKey start = HashKey.of(range.start());
        HashKey end = HashKey.of(range.end());
        this.startHigh = start.high();
        this.startLow = start.low();
        this.endHigh = end.high();
        this.endLow = end.low();
    }

    /**
     * True when the record's hash key lies outside the shard: its explicit hash key when it has
     * one ({@code ehkIndex >= 0}), else the MD5 of its partition key. Indexes identify the keys.
     */
    boolean isOutside(String partitionKey, int pkIndex, String explicitHashKey, int ehkIndex) {
        if (ehkIndex >= 0) {
            if (ehkIndex >= byExplicitHashKey.length) {
                byExplicitHashKey = Arrays.copyOf(byExplicitHashKey, Math.max(ehkIndex + 1, byExplicitHashKey.length * 2));
            }
            if (byExplicitHashKey[ehkIndex] == UNKNOWN) {
                // A key that is no valid hash key cannot be shown to belong here: flag it.
                boolean inside = HashKeys.isValidExplicit(explicitHashKey)
                        && range.contains(new BigInteger(explicitHashKey));
                byExplicitHashKey[ehkIndex] = inside ? INSIDE : OUTSIDE;
            }
            return byExplicitHashKey[ehkIndex] == OUTSIDE;
        }
        if (pkIndex >= byPartitionKey.length) {
            byPartitionKey = Arrays.copyOf(byPartitionKey, Math.max(pkIndex + 1, byPartitionKey.length * 2));
        }
        if (byPartitionKey[pkIndex] == UNKNOWN) {
            byPartitionKey[pkIndex] = containsHashOf(partitionKey) ? INSIDE : OUTSIDE;
        }
        return byPartitionKey[pkIndex] == OUTSIDE;
    }

    /** Whether the partition key's hash key ({@link HashKey#ofPartitionKey}) lies in the range. */
    private boolean containsHashOf(String partitionKey) {
        HashKey key = HashKey.ofPartitionKey(partitionKey);
        return HashKey.compare(key.high(), key.low(), startHigh, startLow) >= 0
                && HashKey.compare(key.high(), key.low(), endHigh, endLow) <= 0;
    }
}
