package io.shardwise.consumer;

/**
 * What a shard's worker does with a batch its processor keeps failing, and with sub-records outside
 * the shard's hash key range (the shard workers' share of the settings).
 */
record ShardPolicy(String workerId, int maxProcessingAttempts, FailurePolicy failurePolicy,
                   PoisonBatchHandler poisonHandler, ShardFailureListener failureListener,
                   boolean deliverOutsideShardRange) {
}
