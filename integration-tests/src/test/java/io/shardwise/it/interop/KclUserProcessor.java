package io.shardwise.it.interop;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.PreparedCheckpointer;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * A processor as a KCL user writes it, against the KCL's interfaces only (no Shardwise import): it
 * handles each record, checkpoints at chosen records (every 20th by checkpoint(seq, subSeq), every
 * 50th with a two-phase checkpoint carrying application state), and checkpoints the last record when
 * asked to shut down and SHARD_END at a shard's end. The same class runs under the real KCL and,
 * through the kcl-adapter, on Shardwise.
 */
public class KclUserProcessor implements ShardRecordProcessor {
    private final ProcessorJournal journal;
    private String shardId;
    private String lastSeen = "none";

    public KclUserProcessor(ProcessorJournal journal) {
        this.journal = journal;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        journal.started(shardId, String.valueOf(input.extendedSequenceNumber()));
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        journal.batchStarted();
        try {
            handle(input);
        } finally {
            journal.batchFinished();
        }
    }

    private void handle(ProcessRecordsInput input) {
        if (input.millisBehindLatest() == null) {
            journal.batchWithoutLag();
        }
        for (KinesisClientRecord record : input.records()) {
            String payload = text(record.data());
            journal.record(shardId, record.sequenceNumber() + "/" + record.subSequenceNumber()
                    + " aggregated=" + record.aggregated() + " key=" + record.partitionKey()
                    + " ehk=" + record.explicitHashKey() + " arrival=" + record.approximateArrivalTimestamp()
                    + " data=" + payload);
            lastSeen = record.sequenceNumber() + "/" + record.subSequenceNumber();
            int n = Integer.parseInt(payload.substring(payload.indexOf(':') + 1));
            try {
                if (n % 50 == 25) {
                    PreparedCheckpointer prepared = input.checkpointer().prepareCheckpoint(record.sequenceNumber(),
                            record.subSequenceNumber(), payload.getBytes(StandardCharsets.UTF_8));
                    journal.checkpointed(shardId, "prepared " + prepared.pendingCheckpoint());
                    prepared.checkpoint();
                    journal.checkpointed(shardId, "committed " + prepared.pendingCheckpoint());
                } else if (n % 20 == 19) {
                    input.checkpointer().checkpoint(record.sequenceNumber(), record.subSequenceNumber());
                    journal.checkpointed(shardId, "at " + lastSeen);
                }
            } catch (ShutdownException | InvalidStateException | ThrottlingException
                     | KinesisClientLibDependencyException e) {
                journal.error(shardId + " checkpoint at " + lastSeen + " failed: " + e);
            }
        }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        // Another worker owns the shard now: nothing to checkpoint.
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        checkpointAll(input.checkpointer(), "shard end");
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        checkpointAll(input.checkpointer(), "shutdown after " + lastSeen);
    }

    private void checkpointAll(RecordProcessorCheckpointer checkpointer, String when) {
        try {
            checkpointer.checkpoint();
            journal.checkpointed(shardId, when);
        } catch (ShutdownException | InvalidStateException | ThrottlingException
                 | KinesisClientLibDependencyException e) {
            journal.error(shardId + " checkpoint at " + when + " failed: " + e);
        }
    }

    private static String text(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
