package io.shardwise.it.support;

import io.shardwise.testkit.kcl.CheckpointingShardRecordProcessor;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;

/**
 * A KCL record processor for tests that read what the KCL delivers: adds each payload, as UTF-8, to a
 * collection (which must take adds from several threads), and checkpoints as the test needs.
 */
public final class PayloadCollector extends CheckpointingShardRecordProcessor {

    /** When the collector checkpoints. */
    public enum Checkpoints {
        /** Never: the test only reads, and the stored checkpoints stay as they were. */
        NEVER,
        /** Only at a shard's end, so its children can start. */
        AT_SHARD_END,
        /** After every batch, at a shard's end and at shutdown. */
        ALWAYS
    }

    private final Collection<String> into;
    private final Checkpoints checkpoints;

    public PayloadCollector(Collection<String> into, Checkpoints checkpoints) {
        this.into = into;
        this.checkpoints = checkpoints;
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        input.records().forEach(r -> into.add(StandardCharsets.UTF_8.decode(r.data()).toString()));
        if (checkpoints == Checkpoints.ALWAYS) {
            checkpoint(input.checkpointer());
        }
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        if (checkpoints != Checkpoints.NEVER) {
            super.shardEnded(input);
        }
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        if (checkpoints == Checkpoints.ALWAYS) {
            super.shutdownRequested(input);
        }
    }
}
