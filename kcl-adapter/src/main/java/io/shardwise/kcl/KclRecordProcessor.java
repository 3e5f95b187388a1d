package io.shardwise.kcl;

import io.shardwise.consumer.Checkpoint;
import io.shardwise.consumer.Checkpointer;
import io.shardwise.consumer.ConsumerRecord;
import io.shardwise.consumer.RecordProcessor;
import io.shardwise.consumer.ShardStart;
import java.util.ArrayList;
import java.util.List;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * One shard's KCL processor driven by Shardwise. The last delivered position is the KCL's "largest
 * permitted checkpoint" for the no-argument {@code checkpoint()} and {@code prepareCheckpoint()}.
 * Shardwise calls from one thread; it is volatile because a KCL processor may checkpoint from a
 * thread of its own, as the KCL allows.
 */
final class KclRecordProcessor implements RecordProcessor {
    private final ShardRecordProcessor processor;
    private volatile Checkpoint lastDelivered = Checkpoint.TRIM_HORIZON;

    KclRecordProcessor(ShardRecordProcessor processor) {
        this.processor = processor;
    }

    @Override
    public void initialize(ShardStart start) {
        lastDelivered = start.checkpoint();
        processor.initialize(InitializationInput.builder()
                .shardId(start.shardId())
                .extendedSequenceNumber(KclPositions.toKcl(start.checkpoint()))
                .pendingCheckpointSequenceNumber(KclPositions.toKcl(start.pendingCheckpoint()))
                .pendingCheckpointState(start.pendingApplicationState())
                .build());
    }

    @Override
    public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long millisBehindLatest) {
        if (!records.isEmpty()) {
            lastDelivered = records.get(records.size() - 1).position();
        }
        List<KinesisClientRecord> kclRecords = new ArrayList<>(records.size());
        for (ConsumerRecord record : records) {
            kclRecords.add(KclPositions.toKcl(record));
        }
        processor.processRecords(ProcessRecordsInput.builder()
                .records(kclRecords)
                .checkpointer(new KclCheckpointer(checkpointer, () -> lastDelivered))
                .millisBehindLatest(millisBehindLatest)
                .isAtShardEnd(false)
                .childShards(List.of())
                .build());
    }

    @Override
    public void leaseLost() {
        processor.leaseLost(LeaseLostInput.builder().build());
    }

    @Override
    public void shardEnded(Checkpointer checkpointer) {
        lastDelivered = Checkpoint.SHARD_END;
        processor.shardEnded(ShardEndedInput.builder()
                .checkpointer(new KclCheckpointer(checkpointer, () -> Checkpoint.SHARD_END))
                .build());
    }

    @Override
    public void shutdownRequested(Checkpointer checkpointer) {
        processor.shutdownRequested(ShutdownRequestedInput.builder()
                .checkpointer(new KclCheckpointer(checkpointer, () -> lastDelivered))
                .build());
    }
}
