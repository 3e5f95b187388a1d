package io.shardwise.aggregation;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Decides per key table entry, once, whether a sub-record's hash key lies in the shard: many
 * sub-records share keys, and hashing a partition key costs an MD5.
 */
final class ShardRangeCheck {

    private static final byte UNKNOWN = 0;
    private static final byte INSIDE = 1;
    private static final byte OUTSIDE = 2;

    private final HashKeyRange range;
    private byte[] byPartitionKey = new byte[16];
    private byte[] byExplicitHashKey = new byte[16];

    ShardRangeCheck(HashKeyRange range) {
        this.range = range;
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
            byPartitionKey[pkIndex] = range.contains(HashKeys.ofPartitionKey(partitionKey)) ? INSIDE : OUTSIDE;
        }
        return byPartitionKey[pkIndex] == OUTSIDE;
    }
}
