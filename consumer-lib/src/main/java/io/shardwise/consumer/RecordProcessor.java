package io.shardwise.consumer;

import java.util.List;

/**
 * Processes one shard while this worker holds its lease. Calls come from one thread, in this order:
 * {@link #initialize}, any number of {@link #processRecords}, then exactly one of
 * {@link #leaseLost}, {@link #shardEnded}, {@link #shutdownRequested}.
 *
 * <p>An exception from {@link #processRecords} never skips records: the same batch is delivered
 * again with backoff (see {@link ShardwiseConsumer.Builder#failurePolicy}).
 */
public interface RecordProcessor {

    default void initialize(ShardStart start) {
    }

    /**
     * A batch of user records, in shard order, deaggregated. {@code millisBehindLatest} says how far
     * this batch is behind the tip of the shard.
     */
    void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long millisBehindLatest)
            throws Exception;

    /** Another worker holds the lease now: no checkpoint is possible any more. */
    default void leaseLost() {
    }

    /**
     * Every record of the shard was delivered. The processor must call
     * {@code checkpointer.checkpoint(Checkpoint.SHARD_END)} (or {@code checkpoint()} after the last
     * batch): children of this shard start only after every parent reached SHARD_END.
     */
    void shardEnded(Checkpointer checkpointer);

    /**
     * The worker is closing or handing the lease to another worker: checkpoint now to avoid
     * duplicates at the new owner.
     */
    default void shutdownRequested(Checkpointer checkpointer) {
    }
}
