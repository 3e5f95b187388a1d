package io.shardwise.producer;

import io.shardwise.aggregation.HashKeys;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A 128-bit hash key as two unsigned halves. The producer keeps one per held record and routes by it on
 * every {@code send}: a {@link BigInteger} (with its magnitude array) costs about 70 bytes of heap per
 * record and a slower comparison, for a value that fits in two longs.
 *
 * @param high the upper 64 bits, read as unsigned
 * @param low the lower 64 bits, read as unsigned
 */
record HashKey128(long high, long low) implements Comparable<HashKey128> {
    private static final BigInteger LOW_MASK = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);

    /** The hash key Kinesis routes by: the explicit hash key when given, else the MD5 of the partition key. */
    static HashKey128 of(String partitionKey, String explicitHashKey) {
        return explicitHashKey != null ? of(HashKeys.parseExplicit(explicitHashKey)) : HASHER.get().md5(partitionKey);
    }

    /** The halves of a hash key in 0 .. 2^128-1. */
    static HashKey128 of(BigInteger hashKey) {
        return new HashKey128(hashKey.shiftRight(64).longValue(), hashKey.and(LOW_MASK).longValue());
    }

    BigInteger toBigInteger() {
        return new BigInteger(1, toBytes());
    }

    @Override
    public int compareTo(HashKey128 other) {
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    @Override
    public String toString() {
        return toBigInteger().toString();
    }

    private byte[] toBytes() {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return bytes;
    }

    /** MD5 per thread with reused buffers: hashing a key allocates nothing but the result. */
    private static final class Hasher {
        private final MessageDigest md5;
        private final byte[] digest = new byte[16];
        private byte[] utf8 = new byte[64];

        Hasher() {
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no MD5", e);
            }
        }

        HashKey128 md5(String partitionKey) {
            int length = encodeAscii(partitionKey);
            try {
                if (length >= 0) {
                    md5.update(utf8, 0, length);
                } else {
                    md5.update(partitionKey.getBytes(StandardCharsets.UTF_8));
                }
                md5.digest(digest, 0, 16);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
            long high = 0;
            long low = 0;
            for (int i = 0; i < 8; i++) {
                high = (high << 8) | (digest[i] & 0xFF);
                low = (low << 8) | (digest[8 + i] & 0xFF);
            }
            return new HashKey128(high, low);
        }

        /** Writes an ASCII key into the scratch buffer (ASCII is its own UTF-8); -1 for any other key. */
        private int encodeAscii(String key) {
            int length = key.length();
            if (length > utf8.length) {
                utf8 = new byte[Math.max(length, 2 * utf8.length)];
            }
            for (int i = 0; i < length; i++) {
                char c = key.charAt(i);
                if (c >= 0x80) {
                    return -1;
                }
                utf8[i] = (byte) c;
            }
            return length;
        }
    }
}
