package io.shardwise.consumer;

import io.github.resilience4j.core.IntervalFunction;
import io.shardwise.kinesis.RetryIntervals;
import java.time.Duration;

/**
 * The waits of one retry loop that the consumer runs itself (a shard thread's reads, a worker's
 * heartbeats): exponential backoff with full jitter, by the shared rule of {@link RetryIntervals}.
 * Counts the failures since the last success.
 */
final class Backoff {
    private final IntervalFunction intervals;
    private int attempt;

    /** {@code base} is raised to 1 ms and {@code cap} to {@code base} when below them. */
    Backoff(Duration base, Duration cap) {
        Duration atLeastOneMilli = base.toMillis() < 1 ? Duration.ofMillis(1) : base;
        this.intervals = RetryIntervals.exponentialFullJitter(atLeastOneMilli,
                cap.compareTo(atLeastOneMilli) < 0 ? atLeastOneMilli : cap);
    }

    /** The wait before the next retry: uniform in [1 ms, min(cap, base x 2^failures)]. */
    long nextDelayMillis() {
        attempt++;
        return intervals.apply(attempt);
    }

    int attempts() {
        return attempt;
    }

    void reset() {
        attempt = 0;
    }
}
