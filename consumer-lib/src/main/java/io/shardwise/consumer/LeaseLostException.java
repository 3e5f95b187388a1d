package io.shardwise.consumer;

/**
 * This worker no longer holds the shard's lease (another worker took it, or this worker could not
 * prove it was alive in time), so it may not checkpoint. Stop processing; records after the last
 * checkpoint will be processed by the new owner.
 */
public final class LeaseLostException extends CheckpointException {
    public LeaseLostException(String shardId, String workerId, String reason) {
        super("worker " + workerId + " no longer holds the lease of " + shardId + ": " + reason
                + "; the new owner resumes from the last checkpoint");
    }
}
