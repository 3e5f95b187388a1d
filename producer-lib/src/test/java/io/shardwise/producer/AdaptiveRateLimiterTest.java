package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdaptiveRateLimiterTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void holdsTheRateToTheShardLimitOverTime() {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(1000, 1024 * 1024, 0);
        long now = 0;
        long bytes = 0;
        // Ten simulated seconds of 50 KB requests, sent whenever the limiter allows.
        while (now < 10 * SECOND) {
            if (limiter.canSend(now)) {
                limiter.consume(1, 50_000);
                bytes += 50_000;
            } else {
                now += Math.max(1, limiter.nanosUntilSendable(now));
            }
        }
        // At most the 1 MiB/s rate plus the first burst (a tenth of a second) and one request of debt.
        assertThat(bytes).isLessThanOrEqualTo(10 * 1024 * 1024 + 1024 * 1024 / 10 + 50_000);
        assertThat(bytes).isGreaterThan(9 * 1024 * 1024);
    }

    @Test
    void throttlingHalvesTheRateAndSuccessRaisesItAdditively() {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(1000, 1024 * 1024, 0);
        limiter.onThrottle();
        assertThat(limiter.recordsPerSecond()).isEqualTo(500);
        limiter.onThrottle();
        assertThat(limiter.recordsPerSecond()).isEqualTo(250);
        limiter.onSuccess();
        assertThat(limiter.recordsPerSecond()).isEqualTo(270);
        for (int i = 0; i < 100; i++) {
            limiter.onSuccess();
        }
        assertThat(limiter.recordsPerSecond()).isEqualTo(1000);
        for (int i = 0; i < 100; i++) {
            limiter.onThrottle();
        }
        assertThat(limiter.recordsPerSecond()).isEqualTo(1000 * AdaptiveRateLimiter.MIN_FRACTION);
    }

    @Test
    void aThrottleEmptiesTheBucketsSoTheShardRestsBeforeTheNextRequest() {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(1000, 1024 * 1024, 0);
        assertThat(limiter.canSend(0)).isTrue();
        limiter.onThrottle();
        assertThat(limiter.canSend(0)).isFalse();
        assertThat(limiter.nanosUntilSendable(0)).isPositive();
        assertThat(limiter.canSend(limiter.nanosUntilSendable(0))).isTrue();
    }

    @Test
    void aZeroCeilingDisablesTheLimiter() {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(0, 0, 0);
        limiter.consume(1_000_000, Long.MAX_VALUE / 2);
        assertThat(limiter.canSend(0)).isTrue();
        assertThat(limiter.nanosUntilSendable(0)).isZero();
    }
}
