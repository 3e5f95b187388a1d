package io.shardwise.producer;

import io.github.resilience4j.core.IntervalFunction;
import io.shardwise.kinesis.RetryIntervals;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The waits before a failed entry's records are tried again, both from resilience4j interval functions
 * between {@code base} and {@code max} (the builder's {@code retryBackoff}); the producer's only retry
 * timing, since the clients it builds have the SDK's retries off.
 *
 * <ul>
 *   <li>After an error: the libraries' one backoff rule, {@link RetryIntervals#exponentialFullJitter}
 *       (x2 per failure of the record, a random wait in [1 ms, interval]). Randomizing the whole interval
 *       spreads the retries of many producers apart, which lets a failing endpoint recover.
 *   <li>After a throttle: exponential (x1.5 per failure) randomized by +-50%
 *       ({@link IntervalFunction#ofExponentialRandomBackoff}). The rate limiter already slows the shard;
 *       this wait lies on the throttled entry itself, so that producers throttled by the same shard at the
 *       same moment do not come back together (TCP's retransmission timer plays this part for a lost
 *       segment).
 * </ul>
 */
final class RetryBackoff {
    static final double THROTTLE_MULTIPLIER = 1.5;
    static final double THROTTLE_RANDOMIZATION = 0.5;

    private final IntervalFunction failure;
    private final IntervalFunction throttle;

    /** {@code base} at least 1 ms (interval functions count in milliseconds), {@code max} at least {@code base}. */
    RetryBackoff(Duration base, Duration max) {
        if (base.toMillis() < 1 || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry backoff base " + base + " must be >= 1 ms and <= max " + max);
        }
        this.failure = RetryIntervals.exponentialFullJitter(base, max);
        this.throttle = IntervalFunction.ofExponentialRandomBackoff(base, THROTTLE_MULTIPLIER, THROTTLE_RANDOMIZATION, max);
    }

    /** Wait after a record's {@code failedAttempts}-th failure (1 for the first retry) with an error. */
    long afterFailureNanos(int failedAttempts) {
        return TimeUnit.MILLISECONDS.toNanos(failure.apply(Math.max(1, failedAttempts)));
    }

    /** Wait after a record's {@code failedAttempts}-th failure (1 for the first retry) by a throttle. */
    long afterThrottleNanos(int failedAttempts) {
        return TimeUnit.MILLISECONDS.toNanos(throttle.apply(Math.max(1, failedAttempts)));
    }
}
