package io.shardwise.kinesis;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one backoff rule for retries: exponential backoff with full jitter ("Exponential Backoff and
 * Jitter", AWS Architecture Blog): the wait before retry n is uniform in [1 ms, min(cap, base x 2^(n-1))].
 * Randomizing the whole interval spreads apart the retries of many clients throttled at once.
 * The exponential ceiling is resilience4j's; the jitter is applied on top of it. Needs resilience4j-core.
 */
public final class RetryIntervals {

    private RetryIntervals() {
    }

    /**
     * The interval function for resilience4j's {@code RetryConfig.intervalFunction}: attempt 1 waits up
     * to {@code base}, each further attempt up to twice as long, never more than {@code cap}.
     *
     * @throws IllegalArgumentException when base is below 1 ms or cap is below base
     */
    public static IntervalFunction exponentialFullJitter(Duration base, Duration cap) {
        if (base.toMillis() < 1 || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry backoff base " + base + " must be >= 1 ms and <= cap " + cap);
        }
        IntervalFunction ceiling = IntervalFunction.ofExponentialBackoff(base, 2.0, cap);
        // resilience4j computes the n-th interval in n steps; after 63 doublings of >= 1 ms every
        // ceiling is the cap, so a retry loop that runs for days costs no more per wait than its 63rd.
        return attempt -> 1 + ThreadLocalRandom.current().nextLong(ceiling.apply(Math.min(Math.max(attempt, 1), 63)));
    }
}
