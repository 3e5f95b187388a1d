package io.shardwise.consumer;

/**
 * Recent bytes per second of one shard: an exponentially decayed sum of processed bytes with a
 * one-minute time constant, so a burst counts for about a minute and an idle shard fades to zero.
 * Cheap enough to update after every batch; read when the worker writes its liveness item.
 */
final class RecentThroughput {
    static final double TIME_CONSTANT_SECONDS = 60.0;

    private double decayedBytes;
    private long lastNanos;

    RecentThroughput(long nowNanos) {
        this.lastNanos = nowNanos;
    }

    synchronized void add(long bytes, long nowNanos) {
        decay(nowNanos);
        decayedBytes += bytes;
    }

    /** Bytes per second over roughly the last minute. */
    synchronized long bytesPerSecond(long nowNanos) {
        decay(nowNanos);
        return Math.round(decayedBytes / TIME_CONSTANT_SECONDS);
    }

    private void decay(long nowNanos) {
        double seconds = Math.max(0, nowNanos - lastNanos) / 1e9;
        decayedBytes *= Math.exp(-seconds / TIME_CONSTANT_SECONDS);
        lastNanos = Math.max(lastNanos, nowNanos);
    }
}
