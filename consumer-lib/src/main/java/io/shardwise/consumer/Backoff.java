package io.shardwise.consumer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * the n-th delay is uniform in [base/2, min(cap, base * 2^n)], so retrying workers spread out.
 */
final class Backoff {
    private final long baseMillis;
    private final long capMillis;
    private int attempt;

    Backoff(Duration base, Duration cap) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.capMillis = Math.max(baseMillis, cap.toMillis());
    }

    long nextDelayMillis() {
        long ceiling = Math.min(capMillis, baseMillis << Math.min(attempt, 20));
        attempt++;
        long floor = Math.min(ceiling, baseMillis / 2);
        return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
    }

    int attempts() {
        return attempt;
    }

    void reset() {
        attempt = 0;
    }
}
