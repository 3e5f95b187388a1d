package io.shardwise.producer;

/**
 * Keeps one shard's writes under its limits (1,000 records/s and 1 MiB/s) with two token buckets, and
 * adapts to what the shard really allows: a throttle cuts the rate in half (multiplicative decrease),
 * each successful request raises it by a small step (additive increase), up to the limit. This is the
 * AIMD rule of TCP congestion control (Chiu and Jain, 1989): several producers writing one shard each
 * cut their rates on throttles and creep back up, so together they converge on a fair share instead
 * of hammering the shard.
 *
 * <p>A bucket may go into debt by one request: a shard is sendable while both buckets hold a positive
 * balance, and the request's real cost is taken afterwards. This lets one large aggregate through
 * without computing its size twice, and the debt is paid before the next request.
 * Not thread-safe; the accumulator's lock guards it.
 */
final class AdaptiveRateLimiter {
    static final double MIN_FRACTION = 0.05;
    static final double DECREASE = 0.5;
    static final double INCREASE_FRACTION = 0.02;

    private final double maxRecordsPerSecond;
    private final double maxBytesPerSecond;
    private double fraction = 1.0;
    private double recordTokens;
    private double byteTokens;
    private long lastRefillNanos;

    /** @param maxRecordsPerSecond the ceiling; {@code <= 0} disables the limiter */
    AdaptiveRateLimiter(double maxRecordsPerSecond, double maxBytesPerSecond, long nowNanos) {
        this.maxRecordsPerSecond = maxRecordsPerSecond;
        this.maxBytesPerSecond = maxBytesPerSecond;
        // Start with a bucket worth 1/10 s so a fresh producer does not burst a full second at once.
        this.recordTokens = maxRecordsPerSecond / 10;
        this.byteTokens = maxBytesPerSecond / 10;
        this.lastRefillNanos = nowNanos;
    }

    boolean enabled() {
        return maxRecordsPerSecond > 0;
    }

    /** True when a request may go now. */
    boolean canSend(long nowNanos) {
        if (!enabled()) {
            return true;
        }
        refill(nowNanos);
        return recordTokens > 0 && byteTokens > 0;
    }

    /** Nanoseconds until {@link #canSend} turns true (0 when it is). */
    long nanosUntilSendable(long nowNanos) {
        if (!enabled()) {
            return 0;
        }
        refill(nowNanos);
        double recordWait = recordTokens > 0 ? 0 : (1e-9 - recordTokens) / recordsPerSecond();
        double byteWait = byteTokens > 0 ? 0 : (1e-9 - byteTokens) / bytesPerSecond();
        return (long) Math.ceil(Math.max(recordWait, byteWait) * 1e9);
    }

    void consume(int records, long bytes) {
        recordTokens -= records;
        byteTokens -= bytes;
    }

    /** Gives back tokens of a request that never reached the shard (e.g. a connection failure). */
    void refund(int records, long bytes) {
        recordTokens = Math.min(recordTokens + records, recordsPerSecond());
        byteTokens = Math.min(byteTokens + bytes, bytesPerSecond());
    }

    void onThrottle() {
        fraction = Math.max(MIN_FRACTION, fraction * DECREASE);
        recordTokens = Math.min(recordTokens, 0);
        byteTokens = Math.min(byteTokens, 0);
    }

    void onSuccess() {
        fraction = Math.min(1.0, fraction + INCREASE_FRACTION);
    }

    double recordsPerSecond() {
        return maxRecordsPerSecond * fraction;
    }

    double bytesPerSecond() {
        return maxBytesPerSecond * fraction;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed <= 0) {
            return;
        }
        lastRefillNanos = nowNanos;
        double seconds = elapsed / 1e9;
        // Bucket capacity: one second at the current rate.
        recordTokens = Math.min(recordsPerSecond(), recordTokens + seconds * recordsPerSecond());
        byteTokens = Math.min(bytesPerSecond(), byteTokens + seconds * bytesPerSecond());
    }
}
