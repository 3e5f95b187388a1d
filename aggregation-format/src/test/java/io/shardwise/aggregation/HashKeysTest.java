package io.shardwise.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class HashKeysTest {

    @Test
    void partitionKeyHashIsUnsignedBigEndianMd5OfUtf8() {
        // MD5("a") = 0cc175b9c0f1b6a831c399e269772661
        assertThat(HashKeys.ofPartitionKey("a")).isEqualTo(new BigInteger("0cc175b9c0f1b6a831c399e269772661", 16));
        // MD5("abc") = 900150983cd24fb0d6963f7d28e17f72, top bit set: must stay positive
        assertThat(HashKeys.ofPartitionKey("abc")).isEqualTo(new BigInteger("900150983cd24fb0d6963f7d28e17f72", 16));
        assertThat(HashKeys.ofPartitionKey("é")).isEqualTo(new BigInteger(1, Aggregates.md5(Aggregates.utf8("é"))));
    }

    @Test
    void maxIsTwoToThe128MinusOne() {
        assertThat(HashKeys.MAX).isEqualTo(new BigInteger("340282366920938463463374607431768211455"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "9", "170141183460469231731687303715884105728",
            "340282366920938463463374607431768211455"})
    void acceptsDecimalsInRange(String value) {
        assertThat(HashKeys.parseExplicit(value)).isEqualTo(new BigInteger(value));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "-1", "+1", "01", "00", "1.0", " 1", "1 ", "abc", "0x10", "١",
            "340282366920938463463374607431768211456", "999999999999999999999999999999999999999",
            "1000000000000000000000000000000000000000"})
    void rejectsEverythingElseNamingValueAndRange(String value) {
        assertThatThrownBy(() -> HashKeys.parseExplicit(value))
                .isInstanceOf(InvalidHashKeyException.class)
                .hasMessageContaining(value == null ? "null" : "'" + value + "'")
                .hasMessageContaining("0..2^128-1")
                .hasMessageContaining(HashKeys.MAX.toString())
                .satisfies(e -> assertThat(((InvalidHashKeyException) e).value()).isEqualTo(value));
    }

    @Test
    void longValuesAreShortenedInTheMessage() {
        String value = "1".repeat(10_000);
        assertThatThrownBy(() -> HashKeys.parseExplicit(value))
                .hasMessageContaining("(10000 chars)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void effectivePrefersTheExplicitHashKey() {
        assertThat(HashKeys.effective("a", "42")).isEqualTo(BigInteger.valueOf(42));
        assertThat(HashKeys.effective("a", null)).isEqualTo(HashKeys.ofPartitionKey("a"));
    }

    @Test
    void rangeContainsItsInclusiveBounds() {
        HashKeyRange range = HashKeyRange.of("10", "20");
        assertThat(range.contains(BigInteger.valueOf(9))).isFalse();
        assertThat(range.contains(BigInteger.valueOf(10))).isTrue();
        assertThat(range.contains(BigInteger.valueOf(20))).isTrue();
        assertThat(range.contains(BigInteger.valueOf(21))).isFalse();
        assertThat(HashKeyRange.of("0", HashKeys.MAX.toString()).contains(HashKeys.MAX)).isTrue();
    }

    @Test
    void rangeRejectsReversedOrOutOfBoundsValues() {
        assertThatThrownBy(() -> HashKeyRange.of("20", "10"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("20..10");
        assertThatThrownBy(() -> new HashKeyRange(BigInteger.valueOf(-1), BigInteger.ONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1..1");
        assertThatThrownBy(() -> HashKeyRange.of("0", "340282366920938463463374607431768211456"))
                .isInstanceOf(InvalidHashKeyException.class);
    }
}
