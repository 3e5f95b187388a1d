package io.shardwise.consumer;

import java.util.List;

/** Adapts a {@link RecordHandler} to the processor life cycle with a checkpoint per processed batch. */
final class HandlerProcessor implements RecordProcessor {
    private final RecordHandler handler;

    HandlerProcessor(RecordHandler handler) {
        this.handler = handler;
    }

    @Override
    public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long millisBehindLatest)
            throws Exception {
        for (ConsumerRecord record : records) {
            handler.handle(record);
        }
        if (!records.isEmpty()) {
            checkpointer.checkpoint();
        }
    }

    @Override
    public void shardEnded(Checkpointer checkpointer) {
        checkpointer.checkpoint(Checkpoint.SHARD_END);
    }

    @Override
    public void shutdownRequested(Checkpointer checkpointer) {
        checkpointer.checkpoint();
    }
}
