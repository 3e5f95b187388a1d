package io.shardwise.consumer;

/**
 * What a processor starts from: the shard, the stored checkpoint (records after it will be
 * delivered), and a pending two-phase checkpoint with its application state when one was prepared
 * but not committed (null otherwise).
 */
public record ShardStart(String shardId, Checkpoint checkpoint, Checkpoint pendingCheckpoint,
                         byte[] pendingApplicationState) {
}
