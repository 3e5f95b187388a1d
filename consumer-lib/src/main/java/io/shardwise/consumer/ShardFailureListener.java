package io.shardwise.consumer;

/** Told when a shard stops on this worker because its processor kept failing (policy STOP_SHARD). */
@FunctionalInterface
public interface ShardFailureListener {
    void onShardStopped(String shardId, Exception lastFailure);
}
