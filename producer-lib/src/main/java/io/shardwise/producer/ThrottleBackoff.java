package io.shardwise.producer;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The wait before a throttled entry is tried again: exponential (x1.5 per throttle of the record) from
 * {@code base} up to {@code max}, each interval randomized by +-50% (resilience4j's
 * {@link IntervalFunction#ofExponentialRandomBackoff}). The rate limiter already slows the shard; this
 * backoff lies on the throttled entry itself, so that producers throttled by the same shard at the same
 * moment do not come back together (TCP's retransmission timer plays this part for a lost segment).
 */
final class ThrottleBackoff {
    static final double MULTIPLIER = 1.5;
    static final double RANDOMIZATION = 0.5;

    private final IntervalFunction interval;

    ThrottleBackoff(Duration base, Duration max) {
        this.interval = IntervalFunction.ofExponentialRandomBackoff(base, MULTIPLIER, RANDOMIZATION, max);
    }

    /** Wait before the retry that follows a record's {@code failedAttempts}-th failure (1 for the first). */
    long delayNanos(int failedAttempts) {
        return TimeUnit.MILLISECONDS.toNanos(interval.apply(Math.max(1, failedAttempts)));
    }
}
