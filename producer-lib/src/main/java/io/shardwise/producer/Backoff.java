package io.shardwise.producer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: before retry n, wait a random time in [0, min(cap, base * 2^n)).
 * Randomizing the whole interval spreads the retries of many producers apart, which is what lets a
 * throttled shard recover ("Exponential Backoff And Jitter", Marc Brooker, AWS Architecture Blog, 2015).
 */
final class Backoff {
    private final long baseNanos;
    private final long capNanos;

    Backoff(Duration base, Duration cap) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry backoff base " + base + " must be > 0 and <= cap " + cap);
        }
        this.baseNanos = base.toNanos();
        this.capNanos = cap.toNanos();
    }

    /** Wait before the retry that follows {@code failedAttempts} failures (1 for the first retry). */
    long delayNanos(int failedAttempts) {
        int exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
        long ceiling = baseNanos << exponent;
        if (ceiling <= 0 || ceiling > capNanos) {
            ceiling = capNanos;
        }
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}
