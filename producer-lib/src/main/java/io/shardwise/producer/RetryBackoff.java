package io.shardwise.producer;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The waits before a failed entry's records are tried again, both from resilience4j interval functions
 * between {@code base} and {@code max} (the builder's {@code retryBackoff}); the producer's only retry
 * timing, since the clients it builds have the SDK's retries off.
 *
 * <ul>
 *   <li>After an error: exponential (x2 per failure of the record) with full jitter, a random wait in
 *       [0, interval]. Randomizing the whole interval spreads the retries of many producers apart, which
 *       lets a failing endpoint recover ("Exponential Backoff And Jitter", AWS Architecture Blog, 2015).
 *   <li>After a throttle: exponential (x1.5 per failure) randomized by +-50%
 *       ({@link IntervalFunction#ofExponentialRandomBackoff}). The rate limiter already slows the shard;
 *       this wait lies on the throttled entry itself, so that producers throttled by the same shard at the
 *       same moment do not come back together (TCP's retransmission timer plays this part for a lost
 *       segment).
 * </ul>
 */
final class RetryBackoff {
    static final double FAILURE_MULTIPLIER = 2.0;
    static final double THROTTLE_MULTIPLIER = 1.5;
    static final double THROTTLE_RANDOMIZATION = 0.5;

    private final IntervalFunction failureCeiling;
    private final IntervalFunction throttle;

    /** {@code base} at least 1 ms (interval functions count in milliseconds), {@code max} at least {@code base}. */
    RetryBackoff(Duration base, Duration max) {
        if (base.toMillis() < 1 || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry backoff base " + base + " must be >= 1 ms and <= max " + max);
        }
        this.failureCeiling = IntervalFunction.ofExponentialBackoff(base, FAILURE_MULTIPLIER, max);
        this.throttle = IntervalFunction.ofExponentialRandomBackoff(base, THROTTLE_MULTIPLIER, THROTTLE_RANDOMIZATION, max);
    }

    /** Wait after a record's {@code failedAttempts}-th failure (1 for the first retry) with an error. */
    long afterFailureNanos(int failedAttempts) {
        long ceiling = TimeUnit.MILLISECONDS.toNanos(failureCeiling.apply(Math.max(1, failedAttempts)));
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    /** Wait after a record's {@code failedAttempts}-th failure (1 for the first retry) by a throttle. */
    long afterThrottleNanos(int failedAttempts) {
        return TimeUnit.MILLISECONDS.toNanos(throttle.apply(Math.max(1, failedAttempts)));
    }
}
