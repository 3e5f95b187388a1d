package io.shardwise.samples;

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
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * A processor as written for the KCL 3.x, with nothing of Shardwise in it: prints each record as
 * {@code <shardId> <partitionKey> <data>}, checkpoints after each batch, at the end of a shard and
 * when asked to shut down. {@link SampleKclWorker} runs it on Shardwise.
 */
public class SampleKclProcessor implements ShardRecordProcessor {
    private String shardId;

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        System.err.println(shardId + " starts after " + input.extendedSequenceNumber());
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        for (KinesisClientRecord record : input.records()) {
            byte[] data = new byte[record.data().remaining()];
            record.data().get(data);
            SampleWorker.print(shardId + " " + record.partitionKey() + " " + new String(data, StandardCharsets.UTF_8));
        }
        checkpoint(input.checkpointer());
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        System.err.println(shardId + " lease lost: another worker continues after the last checkpoint");
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        checkpoint(input.checkpointer());
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        checkpoint(input.checkpointer());
    }

    private void checkpoint(RecordProcessorCheckpointer checkpointer) {
        try {
            checkpointer.checkpoint();
        } catch (ShutdownException | InvalidStateException e) {
            System.err.println(shardId + " cannot checkpoint any more: " + e.getMessage());
        } catch (ThrottlingException | KinesisClientLibDependencyException e) {
            System.err.println(shardId + " checkpoint failed, the next batch checkpoints again: " + e.getMessage());
        }
    }
}
