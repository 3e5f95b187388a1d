package io.shardwise.producer;

/**
 * Keeps one shard's writes under its limits (1,000 records/s and 1 MiB/s) with two token buckets, and
 * adapts to the share of the shard this producer really gets (other producers may write it too).
 *
 * <p>The idea is TCP's AIMD congestion control (Chiu and Jain, 1989), driven by time rather than by
 * round trips, so that it behaves the same whatever the entry size:
 * <ul>
 * <li><b>Additive increase per elapsed time:</b> while requests succeed, the allowance grows by
 *     {@link #INCREASE_PER_SECOND} of the shard's limit per second, up to the limit. A cut to half
 *     recovers in {@code 0.5 / INCREASE_PER_SECOND} seconds, with one 1 MiB entry per second or a
 *     hundred small ones.</li>
 * <li><b>Multiplicative decrease once per signal:</b> a throttle halves the allowance, once per
 *     answer, and only for a request sent after the last cut (requests already in flight were sent
 *     at the old rate; TCP likewise reacts once per window). Several producers that see the same
 *     signal and react the same way converge on fair shares without talking to each other.</li>
 * <li><b>Entries sized to the rate, and no debt:</b> an entry carries at most what the allowance
 *     permits in one {@code window} (about the linger time), and a request goes only when the bucket
 *     holds its whole entry. Kinesis's own bucket holds at most one second, so an entry that needs a
 *     full second (a 1 MiB aggregate) fits only an untouched shard; entries of a tenth of a second
 *     always fit a shard that is not over its rate, and a producer alone at the limit is not throttled.</li>
 * </ul>
 * Not thread-safe; the accumulator's lock guards it.
 */
final class AdaptiveRateLimiter {
    static final double MIN_FRACTION = 0.05;
    static final double DECREASE = 0.5;
    /** Additive increase, as a fraction of the shard's limit per second of success. */
    static final double INCREASE_PER_SECOND = 0.05;
    /** The smallest entry size the limiter asks for, so a low allowance still carries whole records. */
    static final int MIN_ENTRY_BYTES = 4 * 1024;

    private final double maxRecordsPerSecond;
    private final double maxBytesPerSecond;
    private double fraction = 1.0;
    private double recordTokens;
    private double byteTokens;
    private long lastRefillNanos;
    private long lastIncreaseNanos;
    private boolean decreased;
    private long lastDecreaseNanos;

    /** @param maxRecordsPerSecond the ceiling; {@code <= 0} disables the limiter */
    AdaptiveRateLimiter(double maxRecordsPerSecond, double maxBytesPerSecond, long nowNanos) {
        this.maxRecordsPerSecond = maxRecordsPerSecond;
        this.maxBytesPerSecond = maxBytesPerSecond;
        // Start with a bucket worth a tenth of a second, so a fresh producer does not burst a full second.
        this.recordTokens = maxRecordsPerSecond / 10;
        this.byteTokens = maxBytesPerSecond / 10;
        this.lastRefillNanos = nowNanos;
        this.lastIncreaseNanos = nowNanos;
    }

    boolean enabled() {
        return maxRecordsPerSecond > 0;
    }

    /**
     * The largest entry to build now: the allowance of {@code windowNanos} (about the linger time), at
     * least {@link #MIN_ENTRY_BYTES}, at most {@code cap}.
     */
    int entryBytes(int cap, long windowNanos) {
        if (!enabled()) {
            return cap;
        }
        return (int) Math.min(cap, Math.max(MIN_ENTRY_BYTES, bytesPerSecond() * windowNanos / 1e9));
    }

    /** Bytes the bucket holds now (after {@link #canSend}): the most one entry may take without debt. */
    long availableBytes() {
        return enabled() ? (long) Math.max(0, byteTokens) : Long.MAX_VALUE;
    }

    /** True when an entry of {@code bytes} may go now (both buckets cover it). */
    boolean canSend(long nowNanos, long bytes) {
        if (!enabled()) {
            return true;
        }
        refill(nowNanos);
        return recordTokens >= 1 && byteTokens >= needed(bytes);
    }

    /** Nanoseconds until {@link #canSend} turns true for an entry of {@code bytes} (0 when it is). */
    long nanosUntilSendable(long nowNanos, long bytes) {
        if (!enabled()) {
            return 0;
        }
        refill(nowNanos);
        double recordWait = recordTokens >= 1 ? 0 : (1 - recordTokens) / recordsPerSecond();
        double need = needed(bytes);
        double byteWait = byteTokens >= need ? 0 : (need - byteTokens) / bytesPerSecond();
        return (long) Math.ceil(Math.max(recordWait, byteWait) * 1e9);
    }

    /** An entry larger than the bucket can hold waits for a full bucket, then goes in debt. */
    private double needed(long bytes) {
        return Math.min(bytes, bytesPerSecond());
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

    /**
     * The shard throttled a request sent at {@code sentNanos}. Cuts the allowance unless it was cut
     * after that request left (the request was sized for the old rate). Returns true when it cut.
     */
    boolean onThrottle(long sentNanos, long nowNanos) {
        if (decreased && sentNanos - lastDecreaseNanos < 0) {
            return false;
        }
        decreased = true;
        lastDecreaseNanos = nowNanos;
        lastIncreaseNanos = nowNanos;
        fraction = Math.max(MIN_FRACTION, fraction * DECREASE);
        recordTokens = Math.min(recordTokens, 0);
        byteTokens = Math.min(byteTokens, 0);
        return true;
    }

    /** A request succeeded: the allowance grows by the time since it last grew or was cut. */
    void onSuccess(long nowNanos) {
        long elapsed = nowNanos - lastIncreaseNanos;
        if (elapsed <= 0) {
            return;
        }
        lastIncreaseNanos = nowNanos;
        fraction = Math.min(1.0, fraction + INCREASE_PER_SECOND * elapsed / 1e9);
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
        // Bucket capacity: one second at the current rate, as Kinesis's own.
        recordTokens = Math.min(recordsPerSecond(), recordTokens + seconds * recordsPerSecond());
        byteTokens = Math.min(bytesPerSecond(), byteTokens + seconds * bytesPerSecond());
    }
}
