package io.shardwise.consumer;

import java.util.Set;

/**
 * One shard's lease item as read from the table (KCL attribute meanings). {@code owner} is null when
 * the lease is free; {@code handoffTo} names a worker that asked the owner to hand the lease over.
 */
record Lease(String leaseKey, String owner, long counter, Checkpoint checkpoint, Checkpoint pendingCheckpoint,
             byte[] pendingState, long ownerSwitches, Set<String> parentShardIds, Set<String> childShardIds,
             String startingHashKey, String endingHashKey, String handoffTo) {

    boolean isFinished() {
        return checkpoint.isShardEnd();
    }
}
