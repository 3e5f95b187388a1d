package io.shardwise.aggregation;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators for user records: Unicode keys, edge hash keys, payloads from empty upwards. */
final class RecordArbitraries {

    private RecordArbitraries() {
    }

    /** 1..256 chars of valid Unicode: ASCII, other BMP characters and surrogate pairs. */
    static Arbitrary<String> partitionKeys() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return codePoint.list().ofMinSize(1).ofMaxSize(256).map(codePoints -> {
            StringBuilder key = new StringBuilder();
            for (int cp : codePoints) {
                if (key.length() + Character.charCount(cp) > 256) {
                    break;
                }
                key.appendCodePoint(cp);
            }
            return key.toString();
        });
    }

    static Arbitrary<String> explicitHashKeys() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("0")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(HashKeys.MAX.toString())),
                net.jqwik.api.Tuple.of(2, Arbitraries.bigIntegers().between(BigInteger.ZERO, HashKeys.MAX)
                        .map(BigInteger::toString)));
    }

    static Arbitrary<byte[]> payloads(int maxSize) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(maxSize).edgeCases(e -> e.includeOnly(new byte[0]));
    }

    static Arbitrary<UserRecord> userRecords(int maxPayload) {
        return Combinators.combine(partitionKeys(), explicitHashKeys(), payloads(maxPayload)).as(UserRecord::new);
    }

    /** Records that share keys, as real streams do, so the tables deduplicate. */
    static Arbitrary<UserRecord> userRecordsFromFewKeys(int maxPayload) {
        return Combinators.combine(Arbitraries.of("k1", "k2", "ключ", "\uD83D\uDE00"), explicitHashKeys(), payloads(maxPayload))
                .as(UserRecord::new);
    }
}
