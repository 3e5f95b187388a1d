package io.shardwise.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ShardLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    private static final int MIB = 1024 * 1024;

    @Test
    void admitsAThousandRecordsPerSecondAndRefillsContinuously() {
        ShardLimitBucket bucket = new ShardLimitBucket(0);
        for (int i = 0; i < 1000; i++) {
            assertThat(bucket.tryTake(1, 0)).isTrue();
        }
        assertThat(bucket.tryTake(1, 0)).isFalse();
        assertThat(bucket.tryTake(1, SECOND / 1000)).isTrue();
        assertThat(bucket.tryTake(1, SECOND / 1000)).isFalse();
    }

    @Test
    void admitsOneMibPerSecondOfDataAndKey() {
        ShardLimitBucket bucket = new ShardLimitBucket(0);
        assertThat(bucket.tryTake(MIB - 100, 0)).isTrue();
        assertThat(bucket.tryTake(101, 0)).isFalse();
        assertThat(bucket.tryTake(100, 0)).isTrue();
        assertThat(bucket.tryTake(MIB / 2, SECOND / 2)).isTrue();
        assertThat(bucket.tryTake(1, SECOND / 2)).isFalse();
    }

    @Test
    void holdsAtMostOneSecondsWorth() {
        ShardLimitBucket bucket = new ShardLimitBucket(0);
        assertThat(bucket.tryTake(MIB, 10 * SECOND)).isTrue();
        assertThat(bucket.tryTake(1, 10 * SECOND)).isFalse();
    }

    @Test
    void aRefusedRecordIsNotCharged() {
        ShardLimitBucket bucket = new ShardLimitBucket(0);
        assertThat(bucket.tryTake(MIB + 1, 0)).isFalse();
        assertThat(bucket.tryTake(MIB, 0)).isTrue();
    }

    @Test
    void hashKeyIsTheMd5OfTheUtf8PartitionKeyOrTheExplicitKey() {
        assertThat(ShardLimitShardMap.hashKey("a", null))
                .isEqualTo(new BigInteger("0cc175b9c0f1b6a831c399e269772661", 16));
        assertThat(ShardLimitShardMap.hashKey("a", "42")).isEqualTo(BigInteger.valueOf(42));
        // UTF-8 (C3 A9), not Latin-1 (E9)
        assertThat(ShardLimitShardMap.hashKey("\u00e9", null))
                .isEqualTo(new BigInteger("66ddcd97cfdeabb2f6fb8a999b4bc76f", 16));
    }

    @Test
    void theLimiterChargesEachShardSeparatelyAndReloadsShardsForAnUnknownHashKey() throws IOException {
        BigInteger half = BigInteger.ONE.shiftLeft(127);
        AtomicInteger listings = new AtomicInteger();
        List<ShardLimitShardMap.Shard> shards = List.of(
                new ShardLimitShardMap.Shard("low", BigInteger.ZERO, half.subtract(BigInteger.ONE)),
                new ShardLimitShardMap.Shard("high", half, BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)));
        ShardLimitShardMap.Lister lister = stream -> {
            // The first listing knows only the low shard, as if the stream had been resharded since.
            return listings.incrementAndGet() == 1 ? shards.subList(0, 1) : shards;
        };
        AtomicLong clock = new AtomicLong();
        ShardLimiter limiter = new ShardLimiter(clock::get);
        String low = "0";
        String high = half.toString();

        assertThat(limiter.admit("s", "k", low, MIB - 1, lister)).isEqualTo(new ShardLimiter.Verdict("low", true));
        assertThat(limiter.admit("s", "k", low, MIB - 1, lister)).isEqualTo(new ShardLimiter.Verdict("low", false));
        assertThat(listings).hasValue(1);
        assertThat(limiter.admit("s", "k", high, MIB - 1, lister)).isEqualTo(new ShardLimiter.Verdict("high", true));
        assertThat(listings).hasValue(2);
        assertThat(limiter.admit("other", "k", low, 1, stream -> List.of()))
                .isEqualTo(new ShardLimiter.Verdict(null, true));
    }
}
