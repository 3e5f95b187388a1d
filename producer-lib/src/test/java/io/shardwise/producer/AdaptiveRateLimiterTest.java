package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AdaptiveRateLimiterTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int MIB = 1024 * 1024;

    @Test
    void holdsTheRateToTheShardLimitOverTime() {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(1000, MIB, 0);
        long now = 0;
        long bytes = 0;
        // Ten simulated seconds of 50 KB requests, sent whenever the limiter allows.
        while (now < 10 * SECOND) {
            if (limiter.canSend(now, 50_000)) {
                limiter.consume(1, 50_000);
                bytes += 50_000;
            } else {
                now += Math.max(1, limiter.nanosUntilSendable(now, 50_000));
            }
        }
        // At most the 1 MiB/s rate plus the first burst (a tenth of a second): no debt.
        assertThat(bytes).isLessThanOrEqualTo(10L * MIB + MIB / 10);
        assertThat(bytes).isGreaterThan(9L * MIB);
    }

    @Test
    void aThrottleHalvesTheRateOncePerSignalAndTimeRaisesItAdditively() {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(1000, MIB, 0);
        assertThat(limiter.onThrottle(0, 10 * MS)).isTrue();
        assertThat(limiter.recordsPerSecond()).isEqualTo(500);
        // A request sent before that cut was sized for the old rate: its throttle does not cut again.
        assertThat(limiter.onThrottle(5 * MS, 20 * MS)).isFalse();
        assertThat(limiter.recordsPerSecond()).isEqualTo(500);
        assertThat(limiter.onThrottle(30 * MS, 40 * MS)).isTrue();
        assertThat(limiter.recordsPerSecond()).isEqualTo(250);
        // One second of success adds INCREASE_PER_SECOND of the limit, whatever the number of requests.
        limiter.onSuccess(40 * MS + SECOND / 2);
        limiter.onSuccess(40 * MS + SECOND);
        assertThat(limiter.recordsPerSecond()).isCloseTo(250 + 1000 * AdaptiveRateLimiter.INCREASE_PER_SECOND,
                org.assertj.core.data.Offset.offset(1e-6));
        limiter.onSuccess(100 * SECOND);
        assertThat(limiter.recordsPerSecond()).isEqualTo(1000);
        for (int i = 0; i < 100; i++) {
            limiter.onThrottle(200 * SECOND + i, 200 * SECOND + i + 1);
        }
        assertThat(limiter.recordsPerSecond()).isEqualTo(1000 * AdaptiveRateLimiter.MIN_FRACTION);
    }

    @Test
    void entriesAreSizedToTheRate() {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(1000, MIB, 0);
        assertThat(limiter.entryBytes(MIB, 100 * MS)).isEqualTo(MIB / 10);
        assertThat(limiter.entryBytes(51_200, 100 * MS)).isEqualTo(51_200);
        limiter.onThrottle(0, 1);
        assertThat(limiter.entryBytes(MIB, 100 * MS)).isEqualTo(MIB / 20);
        for (int i = 0; i < 10; i++) {
            limiter.onThrottle(i + 2, i + 3);
        }
        assertThat(limiter.entryBytes(MIB, 50 * MS)).isEqualTo(AdaptiveRateLimiter.MIN_ENTRY_BYTES);
    }

    @Test
    void aThrottleEmptiesTheBucketsSoTheShardRestsBeforeTheNextRequest() {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(1000, MIB, 0);
        assertThat(limiter.canSend(0, 1000)).isTrue();
        limiter.onThrottle(0, 0);
        assertThat(limiter.canSend(0, 1000)).isFalse();
        assertThat(limiter.nanosUntilSendable(0, 1000)).isPositive();
        assertThat(limiter.canSend(limiter.nanosUntilSendable(0, 1000), 1000)).isTrue();
    }

    @Test
    void anEntryLargerThanTheBucketWaitsForAFullBucketOnly() {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(1000, MIB, 0);
        for (int i = 0; i < 5; i++) {
            limiter.onThrottle(i, i + 1); // 1/32 of the limit: a bucket of 32 KiB
        }
        long wait = limiter.nanosUntilSendable(10, 100_000);
        assertThat(wait).isPositive().isLessThanOrEqualTo(SECOND + 10);
        assertThat(limiter.canSend(10 + wait, 100_000)).isTrue();
    }

    @Test
    void aZeroCeilingDisablesTheLimiter() {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(0, 0, 0);
        limiter.consume(1_000_000, Long.MAX_VALUE / 2);
        assertThat(limiter.canSend(0, MIB)).isTrue();
        assertThat(limiter.nanosUntilSendable(0, MIB)).isZero();
        assertThat(limiter.entryBytes(MIB, 100 * MS)).isEqualTo(MIB);
    }

    @Test
    void aProducerAloneAtTheLimitIsNeverThrottledByAStrictOneSecondBucket() {
        SharedShard shard = SharedShard.simulate(1, 7, 60);
        assertThat(shard.throttled).isZero();
        assertThat(shard.utilization()).isGreaterThan(0.97);
    }

    /**
     * Producers that share one shard without talking to each other converge on fair shares and together
     * use nearly all of it, with few throttled entries (simulated time; a strict one-second bucket).
     */
    @Property(tries = 12)
    void producersSharingAShardConvergeOnFairShares(@ForAll @IntRange(min = 2, max = 6) int producers,
                                                     @ForAll @IntRange(min = 0, max = 1_000) int seed) {
        SharedShard shard = SharedShard.simulate(producers, seed, 400);
        assertThat(shard.utilization()).isGreaterThan(0.95);
        assertThat(shard.throttledShare()).isLessThan(0.05);
        double fair = 1.0 / producers;
        for (double share : shard.shares()) {
            assertThat(share).as("share of one of %d producers", producers).isBetween(fair * 0.6, fair * 1.4);
        }
    }

    /**
     * One Kinesis shard (1 MiB/s and 1,000 records/s, at most one second of burst) written by producers
     * that each send one entry at a time, sized and paced by their own limiter, with a round trip of
     * 5-25 ms and a backoff on a throttled entry, as the sender does. Measures the second half of the run.
     */
    private static final class SharedShard {
        final long[] stored;
        long entries;
        long throttled;
        long storedAll;
        double seconds;

        private SharedShard(int producers) {
            stored = new long[producers];
        }

        static SharedShard simulate(int producers, long seed, int runSeconds) {
            SharedShard shard = new SharedShard(producers);
            Random random = new Random(seed);
            RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(3));
            AdaptiveRateLimiter[] limiters = new AdaptiveRateLimiter[producers];
            long[] answerAt = new long[producers];
            long[] sentAt = new long[producers];
            long[] notBefore = new long[producers];
            boolean[] throttledAnswer = new boolean[producers];
            int[] failures = new int[producers];
            for (int i = 0; i < producers; i++) {
                limiters[i] = new AdaptiveRateLimiter(1000, MIB, random.nextInt(1000) * MS);
                answerAt[i] = -1;
            }
            double bytes = MIB;
            double records = 1000;
            long last = 0;
            long end = runSeconds * SECOND;
            long measureFrom = end / 2;
            for (long now = 0; now < end; now += MS) {
                bytes = Math.min(MIB, bytes + (now - last) / 1e9 * MIB);
                records = Math.min(1000, records + (now - last) / 1e9 * 1000);
                last = now;
                int first = random.nextInt(producers);
                for (int k = 0; k < producers; k++) {
                    int i = (first + k) % producers;
                    if (answerAt[i] >= 0 && now >= answerAt[i]) {
                        answerAt[i] = -1;
                        if (throttledAnswer[i]) {
                            limiters[i].onThrottle(sentAt[i], now);
                            notBefore[i] = now + backoff.afterThrottleNanos(++failures[i]);
                        } else {
                            limiters[i].onSuccess(now);
                            failures[i] = 0;
                        }
                    }
                    if (answerAt[i] >= 0 || now < notBefore[i]) {
                        continue;
                    }
                    long entry = limiters[i].entryBytes(MIB, 50 * MS);
                    if (!limiters[i].canSend(now, entry)) {
                        continue;
                    }
                    limiters[i].consume(1, entry);
                    sentAt[i] = now;
                    answerAt[i] = now + (5 + random.nextInt(21)) * MS;
                    boolean admitted = records >= 1 && bytes >= entry;
                    if (admitted) {
                        bytes -= entry;
                        records -= 1;
                    }
                    throttledAnswer[i] = !admitted;
                    if (now >= measureFrom) {
                        shard.entries++;
                        if (admitted) {
                            shard.stored[i] += entry;
                            shard.storedAll += entry;
                        } else {
                            shard.throttled++;
                        }
                    }
                }
            }
            shard.seconds = (end - measureFrom) / 1e9;
            return shard;
        }

        double utilization() {
            return storedAll / seconds / MIB;
        }

        double throttledShare() {
            return entries == 0 ? 0 : (double) throttled / entries;
        }

        double[] shares() {
            double[] shares = new double[stored.length];
            for (int i = 0; i < stored.length; i++) {
                shares[i] = stored[i] / seconds / MIB;
            }
            return shares;
        }
    }
}
