package io.shardwise.testkit.kcl;

import java.time.Duration;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;

/**
 * A KCL record processor that checkpoints where the KCL needs it: at a shard's end (the children of
 * a shard start only after it) and when a graceful shutdown asks (the next owner resumes there).
 * Subclasses handle the records, and may checkpoint as they go with {@link #checkpoint} or
 * {@link #checkpointEvery}. A failed checkpoint becomes an {@link IllegalStateException}.
 */
public abstract class CheckpointingShardRecordProcessor implements ShardRecordProcessor {
    private String shardId;
    private long lastCheckpointNanos = System.nanoTime();

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
    }

    /** The shard this processor serves ({@code null} before {@link #initialize}). */
    protected final String shardId() {
        return shardId;
    }

    /** Checkpoints: the children of this shard start only after every parent reached its end. */
    @Override
    public void shardEnded(ShardEndedInput input) {
        checkpoint(input.checkpointer());
    }

    /** Nothing to do: another worker holds the lease now, so a checkpoint would fail. */
    @Override
    public void leaseLost(LeaseLostInput input) {
    }

    /** Checkpoints, so the next owner of the lease resumes after the last record this one got. */
    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        checkpoint(input.checkpointer());
    }

    /** Checkpoints after the last record delivered. */
    protected static void checkpoint(RecordProcessorCheckpointer checkpointer) {
        try {
            checkpointer.checkpoint();
        } catch (KinesisClientLibException e) {
            throw new IllegalStateException("checkpoint failed", e);
        }
    }

    /**
     * Checkpoints after the last record delivered when more than {@code interval} has passed since
     * the last checkpoint this method made (or since this processor was made): the usual cadence of
     * an application that does not checkpoint every batch.
     */
    protected final void checkpointEvery(Duration interval, RecordProcessorCheckpointer checkpointer) {
        if (System.nanoTime() - lastCheckpointNanos > interval.toNanos()) {
            checkpoint(checkpointer);
            lastCheckpointNanos = System.nanoTime();
        }
    }
}
