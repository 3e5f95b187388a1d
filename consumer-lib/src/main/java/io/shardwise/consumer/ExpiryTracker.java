package io.shardwise.consumer;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Decides expiry on this worker's own clock, never comparing clocks across machines: a counter
 * (a lease's, or a worker's liveness counter) is expired when this worker has seen the same value
 * for at least the failover time. A value seen for the first time counts as fresh.
 */
final class ExpiryTracker {
    private record Seen(long counter, long sinceNanos) {
    }

    private final long failoverNanos;
    private final LongSupplier clock;
    private final Map<String, Seen> seen = new HashMap<>();

    ExpiryTracker(long failoverNanos, LongSupplier clock) {
        this.failoverNanos = failoverNanos;
        this.clock = clock;
    }

    /** Records an observation of {@code key} at {@code counter}. */
    void observe(String key, long counter) {
        Seen previous = seen.get(key);
        if (previous == null || previous.counter != counter) {
            seen.put(key, new Seen(counter, clock.getAsLong()));
        }
    }

    boolean isExpired(String key) {
        Seen s = seen.get(key);
        return s != null && clock.getAsLong() - s.sinceNanos >= failoverNanos;
    }

    /** How long the current value has been unchanged, in nanoseconds (0 when never seen). */
    long unchangedNanos(String key) {
        Seen s = seen.get(key);
        return s == null ? 0 : clock.getAsLong() - s.sinceNanos;
    }

    /** Forgets keys no longer in the table. */
    void retainOnly(Set<String> keys) {
        seen.keySet().retainAll(keys);
    }
}
