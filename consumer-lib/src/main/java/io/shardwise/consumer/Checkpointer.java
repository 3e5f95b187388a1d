package io.shardwise.consumer;

/**
 * Records progress in the lease table. Every write is conditional on this worker still holding the
 * lease (its owner and lease counter), so a worker that lost its lease can never move a checkpoint:
 * it gets a {@link LeaseLostException}. Checkpoints only move forward; an older one is rejected with
 * a {@link CheckpointException}.
 */
public interface Checkpointer {

    /** Checkpoints the last record handed to the processor (the whole current batch). */
    void checkpoint();

    /** Checkpoints at this record: a restart resumes at the next user record. */
    void checkpoint(ConsumerRecord record);

    /** Checkpoints at a position in this shard (or {@link Checkpoint#SHARD_END} at the shard's end). */
    void checkpoint(Checkpoint position);

    /** Checkpoints at a sequence number and sub-sequence number. */
    default void checkpoint(String sequenceNumber, long subSequenceNumber) {
        checkpoint(new Checkpoint(sequenceNumber, subSequenceNumber));
    }

    /**
     * First phase of a two-phase checkpoint: stores a pending checkpoint with the application's
     * state (the KCL's {@code pendingCheckpoint*} attributes). {@link PreparedCheckpoint#commit()}
     * makes it the checkpoint; a processor initialized after a crash sees it in
     * {@link ShardStart#pendingCheckpoint()}.
     */
    PreparedCheckpoint prepareCheckpoint(Checkpoint position, byte[] applicationState);

    /** The checkpoint stored for this shard, as far as this worker knows. */
    Checkpoint lastCheckpoint();
}
