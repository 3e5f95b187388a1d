package io.shardwise.cli;

import io.shardwise.consumer.Checkpoint;
import io.shardwise.consumer.Checkpointer;
import io.shardwise.consumer.ConsumerRecord;
import io.shardwise.consumer.RecordProcessor;
import java.util.List;

/**
 * The demo's record processor, in the demo's JVM and in a child JVM alike: reports every delivery
 * to a sink, makes it durable there ({@link Sink#flush()}), and only then checkpoints, so nothing a
 * checkpoint covers can be missing from the tally.
 */
final class DemoProcessor implements RecordProcessor {

    /** Where deliveries go: the tally itself, or the child's standard output. */
    interface Sink {
        void delivered(String shardId, long receivedMillis, byte[] data);

        default void flush() {
        }
    }

    private final Sink sink;

    DemoProcessor(Sink sink) {
        this.sink = sink;
    }

    @Override
    public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long millisBehindLatest) {
        long now = System.currentTimeMillis();
        for (ConsumerRecord record : records) {
            sink.delivered(record.shardId(), now, record.data());
        }
        sink.flush();
        if (!records.isEmpty()) {
            checkpointer.checkpoint();
        }
    }

    @Override
    public void shardEnded(Checkpointer checkpointer) {
        sink.flush();
        checkpointer.checkpoint(Checkpoint.SHARD_END);
    }

    @Override
    public void shutdownRequested(Checkpointer checkpointer) {
        // Every batch was checkpointed after it was processed: nothing more to save.
        sink.flush();
    }
}
