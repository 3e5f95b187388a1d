package io.shardwise.consumer;

/**
 * The consumer's measurements. {@link #NONE} when no registry is given, {@link MicrometerMetrics}
 * otherwise (Micrometer is an optional dependency: only that class touches it).
 */
interface ConsumerMetrics {
    default void millisBehindLatest(String shardId, long millis) {
    }

    default void processed(String shardId, int records, long bytes, long nanos) {
    }

    default void leasesHeld(int count) {
    }

    default void leaseTaken() {
    }

    default void leaseStolen() {
    }

    default void leaseLost() {
    }

    default void checkpointed(long nanos) {
    }

    default void dynamoThrottled() {
    }

    default void leaseTableWrite() {
    }

    /** A full scan of the lease table (rounds without one read only the small worker table). */
    default void leaseTableScanned() {
    }

    default void outsideShardRange(int count) {
    }

    /**
     * A shard answered ResourceNotFoundException: trimmed after the retention period (or deleted)
     * before it was read to its end, so its unread records are lost to retention.
     */
    default void shardGone() {
    }

    /** Hash key ranges the stream's open shards left uncovered at the last shard sync. */
    default void hashKeyRangeHoles(int count) {
    }

    /**
     * A lease round that read the lease table: the leases it holds, the workers it counts as alive, and
     * how many leases this worker tries to take or asks for.
     */
    default void leaseRound(int totalLeases, int workers, int leasesToTake) {
    }

    ConsumerMetrics NONE = new ConsumerMetrics() {
    };
}
