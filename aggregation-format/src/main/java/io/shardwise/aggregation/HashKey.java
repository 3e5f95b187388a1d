package io.shardwise.aggregation;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A 128-bit Kinesis hash key (0 .. 2^128-1) as two unsigned 64-bit halves: the one hash key type of
 * Shardwise. Kinesis routes a record to the shard whose range holds its explicit hash key, or else
 * the MD5 of its UTF-8 partition key read as an unsigned big-endian number. Two longs instead of a
 * {@link BigInteger}: a producer keeps one per held record, and comparing halves allocates nothing.
 *
 * @param high the upper 64 bits, read as unsigned
 * @param low the lower 64 bits, read as unsigned
 */
public record HashKey(long high, long low) implements Comparable<HashKey> {

    /** The smallest hash key, 0. */
    public static final HashKey MIN = new HashKey(0, 0);

    /** The largest hash key, 2^128-1. */
    public static final HashKey MAX = new HashKey(-1L, -1L);

    private static final BigInteger LOW_MASK = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** The MD5 of the UTF-8 partition key, read as an unsigned big-endian 128-bit number. */
    public static HashKey ofPartitionKey(String partitionKey) {
        Objects.requireNonNull(partitionKey, "partitionKey");
        byte[] md5 = Md5.local().digestUtf8ToScratch(partitionKey);
        return new HashKey(bigEndianLong(md5, 0), bigEndianLong(md5, 8));
    }

    /**
     * Parses a decimal hash key as Kinesis accepts it (an explicit hash key, a shard's range bound):
     * decimal digits without leading zeros, 0 .. 2^128-1.
     *
     * @throws InvalidHashKeyException naming the value and the range otherwise
     */
    public static HashKey parse(String decimal) {
        HashKeys.checkExplicit(decimal);
        if (decimal.length() <= 18) {
            return new HashKey(0, Long.parseLong(decimal));
        }
        return of(new BigInteger(decimal));
    }

    /** The hash key Kinesis routes by: the explicit hash key when given, else the partition key's MD5. */
    public static HashKey effective(String partitionKey, String explicitHashKeyOrNull) {
        return explicitHashKeyOrNull != null ? parse(explicitHashKeyOrNull) : ofPartitionKey(partitionKey);
    }

    /**
     * The halves of a number in 0 .. 2^128-1.
     *
     * @throws InvalidHashKeyException when the number is outside that range
     */
    public static HashKey of(BigInteger hashKey) {
        Objects.requireNonNull(hashKey, "hashKey");
        if (hashKey.signum() < 0 || hashKey.bitLength() > 128) {
            throw new InvalidHashKeyException(hashKey.toString());
        }
        return new HashKey(hashKey.shiftRight(64).longValue(), hashKey.and(LOW_MASK).longValue());
    }

    /** This hash key as a non-negative number. */
    public BigInteger toBigInteger() {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return new BigInteger(1, bytes);
    }

    /** Unsigned 128-bit order. */
    @Override
    public int compareTo(HashKey other) {
        return compare(high, low, other.high, other.low);
    }

    /** Unsigned 128-bit order of two hash keys given as halves, for callers that keep halves in fields. */
    public static int compare(long aHigh, long aLow, long bHigh, long bLow) {
        int byHigh = Long.compareUnsigned(aHigh, bHigh);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(aLow, bLow);
    }

    /** The decimal form, as Kinesis writes hash keys. */
    @Override
    public String toString() {
        return high == 0 && low >= 0 ? Long.toString(low) : toBigInteger().toString();
    }

    static long bigEndianLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }
}
