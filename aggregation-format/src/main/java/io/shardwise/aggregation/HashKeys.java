package io.shardwise.aggregation;

import java.math.BigInteger;

/**
 * 128-bit hash keys as {@link BigInteger}s, for callers that compute with them (shard ranges);
 * {@link HashKey} is the hash key itself and holds the one MD5 path, which these methods use.
 */
public final class HashKeys {

    /** The largest hash key, 2^128-1. */
    public static final BigInteger MAX = HashKey.MAX.toBigInteger();

    private static final String MAX_DECIMAL = MAX.toString();

    private HashKeys() {
    }

    /** The MD5 of the UTF-8 partition key read as an unsigned big-endian 128-bit number. */
    public static BigInteger ofPartitionKey(String partitionKey) {
        return HashKey.ofPartitionKey(partitionKey).toBigInteger();
    }

    /**
     * Parses an explicit hash key as Kinesis accepts it: decimal digits without leading zeros,
     * 0 .. 2^128-1.
     *
     * @throws InvalidHashKeyException naming the value and the range otherwise
     */
    public static BigInteger parseExplicit(String explicitHashKey) {
        checkExplicit(explicitHashKey);
        return new BigInteger(explicitHashKey);
    }

    /** The hash key Kinesis routes by: the explicit hash key when given, else the partition key's. */
    public static BigInteger effective(String partitionKey, String explicitHashKeyOrNull) {
        return explicitHashKeyOrNull != null ? parseExplicit(explicitHashKeyOrNull) : ofPartitionKey(partitionKey);
    }

    /** Validates without building a BigInteger: the aggregator calls it for every record. */
    static void checkExplicit(String value) {
        if (!isValidExplicit(value)) {
            throw new InvalidHashKeyException(value);
        }
    }

    static boolean isValidExplicit(String value) {
        if (value == null) {
            return false;
        }
        int length = value.length();
        if (length == 0 || length > MAX_DECIMAL.length() || (length > 1 && value.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        // Same number of digits and no leading zeros: decimal order is lexicographic order.
        return length < MAX_DECIMAL.length() || value.compareTo(MAX_DECIMAL) <= 0;
    }
}
