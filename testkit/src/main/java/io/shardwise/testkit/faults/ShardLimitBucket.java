package io.shardwise.testkit.faults;

/**
 * The write budget of one shard: two token buckets, 1 MiB of data plus partition key and 1,000
 * records, each refilled continuously at that rate per second and holding at most one second's
 * worth. A record is admitted only when both buckets cover it, and then it is charged to both (an
 * aggregate counts as one record of its whole size). The fault proxy's shard limits use it, and so
 * can any other model of Kinesis (the producer benchmark's fake endpoint does).
 */
public final class ShardLimitBucket {

    public static final double BYTES_PER_SECOND = 1024 * 1024;
    public static final double RECORDS_PER_SECOND = 1000;

    private double bytes = BYTES_PER_SECOND;
    private double records = RECORDS_PER_SECOND;
    private long lastNanos;

    /** A full bucket at {@code nowNanos} (a {@code System.nanoTime()} reading). */
    public ShardLimitBucket(long nowNanos) {
        this.lastNanos = nowNanos;
    }

    /** Admits a record of {@code recordBytes} (data plus partition key) at {@code nowNanos}, or refuses it. */
    public synchronized boolean tryTake(int recordBytes, long nowNanos) {
        double seconds = Math.max(0, nowNanos - lastNanos) / 1e9;
        lastNanos = Math.max(lastNanos, nowNanos);
        bytes = Math.min(BYTES_PER_SECOND, bytes + seconds * BYTES_PER_SECOND);
        records = Math.min(RECORDS_PER_SECOND, records + seconds * RECORDS_PER_SECOND);
        if (records < 1 || bytes < recordBytes) {
            return false;
        }
        records -= 1;
        bytes -= recordBytes;
        return true;
    }
}
