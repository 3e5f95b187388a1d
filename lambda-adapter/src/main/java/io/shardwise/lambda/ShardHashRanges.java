package io.shardwise.lambda;

import io.shardwise.aggregation.HashKeyRange;

/**
 * Tells the hash key range of a shard. A Lambda event names the shard (in the event id) but not
 * its range, and the adapter needs it to find sub-records outside it ({@link OutsideShardRange}).
 * A shard's range never changes, so implementations may cache it for good.
 * {@link KinesisShardHashRanges} asks Kinesis (ListShards).
 */
@FunctionalInterface
public interface ShardHashRanges {

    /**
     * The shard's hash key range.
     *
     * @param eventSourceArn the stream's ARN, from the event
     * @param shardId the shard, from the event id
     * @return the range, or null when the shard is unknown
     * @throws RuntimeException when the range could not be looked up; the handler then logs it
     *     and delivers the sub-records unchecked, never failing the batch for it
     */
    HashKeyRange hashKeyRange(String eventSourceArn, String shardId);
}
