package io.shardwise.aggregation;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** 128-bit hash keys, as Kinesis computes them to route a record to a shard. */
public final class HashKeys {

    /** The largest hash key, 2^128-1. */
    public static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private static final String MAX_DECIMAL = MAX.toString();

    private HashKeys() {
    }

    /** The MD5 of the UTF-8 partition key read as an unsigned big-endian 128-bit number. */
    public static BigInteger ofPartitionKey(String partitionKey) {
        Objects.requireNonNull(partitionKey, "partitionKey");
        byte[] utf8 = partitionKey.getBytes(StandardCharsets.UTF_8);
        byte[] digest = new byte[Md5.LENGTH];
        Md5.local().digest(utf8, 0, utf8.length, digest, 0);
        return new BigInteger(1, digest);
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
