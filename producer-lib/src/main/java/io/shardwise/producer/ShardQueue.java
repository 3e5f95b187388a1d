package io.shardwise.producer;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything the producer holds and knows for one shard: the queue of user records in send order
 * (retries go back to its front), what is in flight, the shard's adaptive rate limiter, its measured
 * load and a sketch of its heaviest keys. The queue for records whose shard is not yet known has no
 * shard ({@link #shard} null) and covers the whole hash key space. Guarded by the accumulator's lock.
 */
final class ShardQueue {
    static final String UNKNOWN_ID = "unknown";

    static final int KEY_SAMPLING = 8;

    final ShardMap.Shard shard;
    private final ArrayDeque<PendingRecord> records = new ArrayDeque<>();
    private final AdaptiveRateLimiter limiter;
    private final SpaceSaving heavyKeys;
    private long queuedBytes;
    private int inFlightRequests;
    private int inFlightRecords;
    private long retryNotBeforeNanos;
    private boolean retired;
    /** Set when this shard's aggregate landed elsewhere: nothing more is sent until the map is refreshed. */
    private boolean heldForMap;

    // Offered load: what send() put into this queue, measured per window and smoothed.
    private long windowRecords;
    private long windowBytes;
    private double recordsPerSecond;
    private double bytesPerSecond;
    private long throttles;
    private long windowThrottles;
    private boolean hot;
    private long lastHotWarningNanos = Long.MIN_VALUE;

    ShardQueue(ShardMap.Shard shard, AdaptiveRateLimiter limiter, int sketchCapacity) {
        this.shard = shard;
        this.limiter = limiter;
        this.heavyKeys = new SpaceSaving(sketchCapacity);
    }

    String id() {
        return shard == null ? UNKNOWN_ID : shard.shardId();
    }

    boolean isUnknown() {
        return shard == null;
    }

    boolean overlaps(ShardQueue other) {
        if (shard == null || other.shard == null) {
            return true;
        }
        return shard.range().start().compareTo(other.shard.range().end()) <= 0
                && other.shard.range().start().compareTo(shard.range().end()) <= 0;
    }

    AdaptiveRateLimiter limiter() {
        return limiter;
    }

    // ---------------------------------------------------------------- the queue

    void addLast(PendingRecord record) {
        records.addLast(record);
        queuedBytes += record.kinesisBytes;
    }

    /** Puts records back at the front, keeping their relative order. */
    void addFirst(List<PendingRecord> inOrder) {
        for (int i = inOrder.size() - 1; i >= 0; i--) {
            records.addFirst(inOrder.get(i));
            queuedBytes += inOrder.get(i).kinesisBytes;
        }
    }

    /** Puts failed records back at the front and holds the queue until {@code notBeforeNanos} (their backoff). */
    void requeue(List<PendingRecord> inOrder, long notBeforeNanos) {
        addFirst(inOrder);
        retryNotBeforeNanos = Math.max(retryNotBeforeNanos, notBeforeNanos);
    }

    PendingRecord poll() {
        PendingRecord record = records.pollFirst();
        if (record != null) {
            queuedBytes -= record.kinesisBytes;
        }
        return record;
    }

    PendingRecord peek() {
        return records.peekFirst();
    }

    int size() {
        return records.size();
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    /** The queued records, front first (for scans; not to be changed). */
    Iterable<PendingRecord> queued() {
        return records;
    }

    long queuedBytes() {
        return queuedBytes;
    }

    /** The end of the backoff of the records put back last; nothing is sent before it. */
    long retryNotBeforeNanos() {
        return retryNotBeforeNanos;
    }

    // ---------------------------------------------------------------- in flight

    /** A request carrying this shard's records was built ({@code PutBatch} counts each request once). */
    void requestStarted() {
        inFlightRequests++;
    }

    void requestFinished() {
        inFlightRequests--;
    }

    void recordsStarted(int userRecords) {
        inFlightRecords += userRecords;
    }

    void recordsFinished(int userRecords) {
        inFlightRecords -= userRecords;
    }

    int requestsInFlight() {
        return inFlightRequests;
    }

    /** Nothing queued and nothing in flight: a retired queue can be forgotten. */
    boolean isIdle() {
        return inFlightRequests == 0 && records.isEmpty();
    }

    // ---------------------------------------------------------------- reshards

    /** The shard closed (a split or merge): its queue only waits for its requests in flight. */
    void retire() {
        retired = true;
    }

    boolean isRetired() {
        return retired;
    }

    void holdForMap(boolean held) {
        heldForMap = held;
    }

    boolean isHeldForMap() {
        return heldForMap;
    }

    // ---------------------------------------------------------------- load

    void countOffered(PendingRecord record) {
        windowRecords++;
        windowBytes += record.kinesisBytes;
        // The sketch sees a random 1/KEY_SAMPLING of records: heavy hitters stay heavy in a uniform
        // sample, and the hot path does not pay a sketch update (a scan of k counters on a miss) per record.
        if (ThreadLocalRandom.current().nextInt(KEY_SAMPLING) == 0) {
            heavyKeys.add(record.partitionKey);
        }
    }

    /** One answer throttled {@code entries} of this shard's entries: counted each, the rate cut once. */
    void throttled(int entries, long sentNanos, long now) {
        throttles += entries;
        windowThrottles += entries;
        limiter.onThrottle(sentNanos, now);
    }

    /**
     * Closes a measuring window of {@code seconds}: smooths the rates (EWMA, weight 1/2), ages the sketch
     * and decides whether the shard is hot. Hot: the offered load nears the shard's byte limit (or its
     * record limit when every user record is its own Kinesis record, {@code countRecords}), or the shard
     * throttles while well loaded. A throttle alone on a lightly loaded shard is noise (another producer,
     * a burst), not a hot shard.
     */
    boolean closeWindow(double seconds, boolean countRecords, double hotFraction) {
        recordsPerSecond = (recordsPerSecond + windowRecords / seconds) / 2;
        bytesPerSecond = (bytesPerSecond + windowBytes / seconds) / 2;
        windowRecords = 0;
        windowBytes = 0;
        heavyKeys.decay();
        double byteLoad = bytesPerSecond / ProducerConfig.SHARD_BYTES_PER_SECOND;
        double recordLoad = countRecords ? recordsPerSecond / ProducerConfig.SHARD_RECORDS_PER_SECOND : 0;
        double load = Math.max(byteLoad, recordLoad);
        hot = load >= hotFraction || (windowThrottles > 0 && load >= hotFraction / 2);
        windowThrottles = 0;
        return hot;
    }

    boolean isHot() {
        return hot;
    }

    double bytesPerSecond() {
        return bytesPerSecond;
    }

    /** True when the hot-shard warning is due (the first, or {@code intervalNanos} after the last); marks it given. */
    boolean hotWarningDue(long now, long intervalNanos) {
        if (lastHotWarningNanos != Long.MIN_VALUE && now - lastHotWarningNanos < intervalNanos) {
            return false;
        }
        lastHotWarningNanos = now;
        return true;
    }

    /** True when {@code partitionKey} is among the {@code count} heaviest keys of the sketch. */
    boolean isHeavyKey(String partitionKey, int count) {
        for (HotKey key : heavyKeys.top(count)) {
            if (key.partitionKey().equals(partitionKey)) {
                return true;
            }
        }
        return false;
    }

    ShardState state(int hotKeyCount) {
        return new ShardState(id(), records.size(), inFlightRecords, inFlightRequests, recordsPerSecond,
                bytesPerSecond, limiter.enabled() ? limiter.recordsPerSecond() : Double.POSITIVE_INFINITY,
                limiter.enabled() ? limiter.bytesPerSecond() : Double.POSITIVE_INFINITY, throttles, hot,
                heavyKeys.top(hotKeyCount, KEY_SAMPLING));
    }
}
