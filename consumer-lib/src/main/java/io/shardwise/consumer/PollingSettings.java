package io.shardwise.consumer;

import java.time.Duration;

/**
 * Polling pace: never two GetRecords calls on a shard closer than {@code minSpacing} (200 ms keeps
 * within the 5 calls/s per shard), {@code idleInterval} between calls when caught up, growing to
 * {@code maxIdleInterval} while polls come back empty; throttling backs off with jitter.
 */
record PollingSettings(Duration minSpacing, Duration idleInterval, Duration maxIdleInterval, int maxRecords,
                       long maxBytesPerSecond, Duration throttleBackoffBase, Duration throttleBackoffCap) {
    static PollingSettings defaults() {
        return new PollingSettings(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(500), 10_000,
                2L * 1024 * 1024, Duration.ofMillis(200), Duration.ofSeconds(5));
    }
}
