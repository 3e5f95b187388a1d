package io.shardwise.aggregation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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

    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final HashKeyRange range;
    private final long startHigh;
    private final long startLow;
    private final long endHigh;
    private final long endLow;
    private byte[] byPartitionKey = new byte[16];
    private byte[] byExplicitHashKey = new byte[16];

    ShardRangeCheck(HashKeyRange range) {
        this.range = range;
        this.startHigh = range.start().shiftRight(64).longValue();
        this.startLow = range.start().longValue();
        this.endHigh = range.end().shiftRight(64).longValue();
        this.endLow = range.end().longValue();
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

    /** Whether the partition key's hash key ({@link HashKeys#ofPartitionKey}) lies in the range. */
    private boolean containsHashOf(String partitionKey) {
        byte[] utf8 = partitionKey.getBytes(StandardCharsets.UTF_8);
        byte[] md5 = Md5.local().digestToScratch(utf8, 0, utf8.length);
        long high = (long) BIG_ENDIAN_LONG.get(md5, 0);
        long low = (long) BIG_ENDIAN_LONG.get(md5, 8);
        return compareUnsigned(high, low, startHigh, startLow) >= 0 && compareUnsigned(high, low, endHigh, endLow) <= 0;
    }

    private static int compareUnsigned(long aHigh, long aLow, long bHigh, long bLow) {
        int high = Long.compareUnsigned(aHigh, bHigh);
        return high != 0 ? high : Long.compareUnsigned(aLow, bLow);
    }
}
