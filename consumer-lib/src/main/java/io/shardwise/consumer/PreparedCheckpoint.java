package io.shardwise.consumer;

/** A pending two-phase checkpoint; {@link #commit()} turns it into the shard's checkpoint. */
public interface PreparedCheckpoint {
    Checkpoint position();

    /** Writes the prepared position as the checkpoint and clears the pending attributes. */
    void commit();
}
