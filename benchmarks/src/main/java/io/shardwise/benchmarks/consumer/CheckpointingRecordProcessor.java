package io.shardwise.benchmarks.consumer;

import io.shardwise.consumer.Checkpointer;
import io.shardwise.consumer.ConsumerRecord;
import io.shardwise.consumer.RecordProcessor;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Shardwise record processor that hands each batch to a handler and checkpoints as a usual
 * application does: every {@link #INTERVAL} while records come, at a shard's end and at shutdown.
 * The benchmarks' KCL processors checkpoint at the same interval, so both consumers write alike.
 */
public final class CheckpointingRecordProcessor implements RecordProcessor {
    /** The checkpoint cadence of every consumer the benchmarks run. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Consumer<List<ConsumerRecord>> handler;
    private long lastCheckpointNanos = System.nanoTime();

    public CheckpointingRecordProcessor(Consumer<List<ConsumerRecord>> handler) {
        this.handler = handler;
    }

    @Override
    public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long millisBehindLatest) {
        handler.accept(records);
        if (System.nanoTime() - lastCheckpointNanos > INTERVAL.toNanos()) {
            checkpointer.checkpoint();
            lastCheckpointNanos = System.nanoTime();
        }
    }

    @Override
    public void shardEnded(Checkpointer checkpointer) {
        checkpointer.checkpoint();
    }

    @Override
    public void shutdownRequested(Checkpointer checkpointer) {
        checkpointer.checkpoint();
    }
}
