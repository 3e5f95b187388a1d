package io.shardwise.benchmarks.producer;

import java.util.concurrent.atomic.AtomicLongArray;

/** What a shard-limited endpoint stored and throttled, per second since it started and per shard. */
final class ShardLimitStats {
    static final int MAX_SECONDS = 3_600;

    private final int shards;
    private final long startNanos;
    private final AtomicLongArray storedBytes;
    private final AtomicLongArray storedEntries;
    private final AtomicLongArray throttledEntries;

    ShardLimitStats(int shards, long startNanos) {
        this.shards = shards;
        this.startNanos = startNanos;
        this.storedBytes = new AtomicLongArray(MAX_SECONDS * shards);
        this.storedEntries = new AtomicLongArray(MAX_SECONDS * shards);
        this.throttledEntries = new AtomicLongArray(MAX_SECONDS * shards);
    }

    void count(int shard, long nowNanos, int bytes, boolean admitted) {
        int second = (int) Math.min(MAX_SECONDS - 1, (nowNanos - startNanos) / 1_000_000_000L);
        int slot = second * shards + shard;
        if (admitted) {
            storedBytes.addAndGet(slot, bytes);
            storedEntries.incrementAndGet(slot);
        } else {
            throttledEntries.incrementAndGet(slot);
        }
    }

    /** The second (since the endpoint started) that {@code nanos} falls in. */
    int secondOf(long nanos) {
        return (int) ((nanos - startNanos) / 1_000_000_000L);
    }

    /** Sums over seconds [from, to) of one shard, or of all shards when {@code shard < 0}. */
    Totals totals(int from, int to, int shard) {
        long bytes = 0;
        long stored = 0;
        long throttled = 0;
        for (int second = Math.max(0, from); second < Math.min(to, MAX_SECONDS); second++) {
            for (int s = 0; s < shards; s++) {
                if (shard >= 0 && s != shard) {
                    continue;
                }
                int slot = second * shards + s;
                bytes += storedBytes.get(slot);
                stored += storedEntries.get(slot);
                throttled += throttledEntries.get(slot);
            }
        }
        return new Totals(bytes, stored, throttled, Math.max(0, Math.min(to, MAX_SECONDS) - Math.max(0, from)));
    }

    /** Stored bytes and entries, throttled entries, over {@code seconds}. */
    record Totals(long storedBytes, long storedEntries, long throttledEntries, int seconds) {
        double bytesPerSecond() {
            return seconds == 0 ? 0 : (double) storedBytes / seconds;
        }

        double throttledShare() {
            long all = storedEntries + throttledEntries;
            return all == 0 ? 0 : (double) throttledEntries / all;
        }
    }
}
