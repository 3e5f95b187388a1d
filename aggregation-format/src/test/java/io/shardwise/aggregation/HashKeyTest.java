package io.shardwise.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashKeyTest {

    @Test
    void partitionKeyHashIsTheMd5OfItsUtf8BytesAsAnUnsignedNumber() {
        // MD5("a") = 0cc175b9c0f1b6a831c399e269772661 (RFC 1321 test suite).
        assertThat(HashKey.ofPartitionKey("a")).isEqualTo(new HashKey(0x0cc175b9c0f1b6a8L, 0x31c399e269772661L));
        assertThat(HashKey.ofPartitionKey("a").toString())
                .isEqualTo(new BigInteger("0cc175b9c0f1b6a831c399e269772661", 16).toString());
        // MD5("abc") = 900150983cd24fb0d6963f7d28e17f72: its top bit is set, so the high half is negative as a long.
        assertThat(HashKey.ofPartitionKey("abc").toBigInteger())
                .isEqualTo(new BigInteger("900150983cd24fb0d6963f7d28e17f72", 16));
        assertThat(HashKey.ofPartitionKey("é").toBigInteger())
                .isEqualTo(new BigInteger(1, Aggregates.md5(Aggregates.utf8("é"))));
        assertThat(HashKey.ofPartitionKey("x".repeat(256)).toBigInteger())
                .isEqualTo(new BigInteger(1, Aggregates.md5(Aggregates.utf8("x".repeat(256)))));
    }

    @Test
    void parsesAndFormatsDecimalKeysAcrossTheWholeRange() {
        for (String decimal : List.of("0", "1", "9223372036854775807", "9223372036854775808",
                "18446744073709551615", "18446744073709551616", "170141183460469231731687303715884105728",
                "340282366920938463463374607431768211455")) {
            HashKey key = HashKey.parse(decimal);
            assertThat(key.toString()).isEqualTo(decimal);
            assertThat(key.toBigInteger()).isEqualTo(new BigInteger(decimal));
            assertThat(HashKey.of(new BigInteger(decimal))).isEqualTo(key);
        }
        assertThat(HashKey.parse("340282366920938463463374607431768211455")).isEqualTo(HashKey.MAX);
        assertThat(HashKey.MAX.toBigInteger()).isEqualTo(HashKeys.MAX);
        assertThat(HashKey.parse("0")).isEqualTo(HashKey.MIN);
    }

    @Test
    void rejectsKeysOutsideTheRangeNamingTheValue() {
        assertThatThrownBy(() -> HashKey.parse("340282366920938463463374607431768211456"))
                .isInstanceOf(InvalidHashKeyException.class).hasMessageContaining("340282366920938463463374607431768211456");
        assertThatThrownBy(() -> HashKey.parse("-1")).isInstanceOf(InvalidHashKeyException.class);
        assertThatThrownBy(() -> HashKey.parse("01")).isInstanceOf(InvalidHashKeyException.class);
        assertThatThrownBy(() -> HashKey.of(BigInteger.ONE.shiftLeft(128))).isInstanceOf(InvalidHashKeyException.class);
        assertThatThrownBy(() -> HashKey.of(BigInteger.valueOf(-1))).isInstanceOf(InvalidHashKeyException.class);
    }

    @Test
    void ordersAsUnsigned128BitNumbers() {
        Random random = new Random(42);
        List<HashKey> keys = new ArrayList<>(List.of(HashKey.MIN, HashKey.MAX, new HashKey(0, -1L), new HashKey(1, 0),
                new HashKey(Long.MIN_VALUE, 0), new HashKey(Long.MAX_VALUE, -1L)));
        for (int i = 0; i < 200; i++) {
            keys.add(new HashKey(random.nextLong(), random.nextLong()));
        }
        List<HashKey> byKey = new ArrayList<>(keys);
        Collections.sort(byKey);
        List<HashKey> byNumber = new ArrayList<>(keys);
        byNumber.sort((a, b) -> a.toBigInteger().compareTo(b.toBigInteger()));
        assertThat(byKey).containsExactlyElementsOf(byNumber);
        assertThat(byKey.get(0)).isEqualTo(HashKey.MIN);
        assertThat(byKey.get(byKey.size() - 1)).isEqualTo(HashKey.MAX);
    }

    @Test
    void effectiveKeyIsTheExplicitOneWhenGiven() {
        assertThat(HashKey.effective("a", "5")).isEqualTo(new HashKey(0, 5));
        assertThat(HashKey.effective("a", null)).isEqualTo(HashKey.ofPartitionKey("a"));
        assertThat(HashKeys.effective("a", null)).isEqualTo(HashKey.ofPartitionKey("a").toBigInteger());
    }
}
