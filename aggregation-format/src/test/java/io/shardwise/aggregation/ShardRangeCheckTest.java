package io.shardwise.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The range check on two 64-bit halves agrees with BigInteger comparison, at the bounds too. */
class ShardRangeCheckTest {

    @Property(tries = 500)
    void agreesWithBigIntegerComparison(@ForAll("keys") String key, @ForAll("offsets") BigInteger startOffset,
                                        @ForAll("offsets") BigInteger endOffset) {
        BigInteger hash = HashKeys.ofPartitionKey(key);
        BigInteger start = clamp(hash.add(startOffset));
        BigInteger end = clamp(hash.add(endOffset));
        if (start.compareTo(end) > 0) {
            BigInteger swap = start;
            start = end;
            end = swap;
        }
        HashKeyRange range = new HashKeyRange(start, end);
        assertThat(new ShardRangeCheck(range).isOutside(key, 0, null, -1)).isEqualTo(!range.contains(hash));
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(RecordArbitraries.partitionKeys(), Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(80));
    }

    /** Offsets around the key's own hash: the bounds themselves, one off, and far off in either half. */
    @Provide
    Arbitrary<BigInteger> offsets() {
        return Arbitraries.oneOf(
                Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate()),
                Arbitraries.bigIntegers().between(BigInteger.ONE.shiftLeft(64).negate(), BigInteger.ONE.shiftLeft(64)),
                Arbitraries.bigIntegers().between(HashKeys.MAX.negate(), HashKeys.MAX));
    }

    private static BigInteger clamp(BigInteger value) {
        return value.max(BigInteger.ZERO).min(HashKeys.MAX);
    }
}
