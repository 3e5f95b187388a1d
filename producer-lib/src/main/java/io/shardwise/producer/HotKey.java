package io.shardwise.producer;

/**
 * A partition key among the heaviest of its shard.
 *
 * @param partitionKey the key
 * @param estimatedRecords upper estimate of its user records in the current window (Space-Saving count)
 * @param share estimated fraction of the shard's user records in the window, 0..1
 */
public record HotKey(String partitionKey, long estimatedRecords, double share) {}
