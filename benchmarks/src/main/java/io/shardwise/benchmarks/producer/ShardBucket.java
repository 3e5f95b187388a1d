package io.shardwise.benchmarks.producer;

/**
 * One Kinesis shard's write budget, as Kinesis documents it: 1 MiB/s of data plus partition key and
 * 1,000 records/s, each a token bucket refilled continuously that holds at most one second's worth
 * (it starts full). An entry is admitted only when both buckets cover it; an aggregate counts as one
 * record of its whole size.
 */
final class ShardBucket {
    static final double BYTES_PER_SECOND = 1024 * 1024;
    static final double RECORDS_PER_SECOND = 1000;

    private double bytes = BYTES_PER_SECOND;
    private double records = RECORDS_PER_SECOND;
    private long lastNanos;

    ShardBucket(long nowNanos) {
        this.lastNanos = nowNanos;
    }

    synchronized boolean tryTake(int entryBytes, long nowNanos) {
        double seconds = Math.max(0, nowNanos - lastNanos) / 1e9;
        lastNanos = Math.max(lastNanos, nowNanos);
        bytes = Math.min(BYTES_PER_SECOND, bytes + seconds * BYTES_PER_SECOND);
        records = Math.min(RECORDS_PER_SECOND, records + seconds * RECORDS_PER_SECOND);
        if (records < 1 || bytes < entryBytes) {
            return false;
        }
        records -= 1;
        bytes -= entryBytes;
        return true;
    }
}
