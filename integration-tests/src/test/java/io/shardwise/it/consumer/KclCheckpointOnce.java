package io.shardwise.it.consumer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * A KCL processor for the migration tests: it notes the number of every record it gets and
 * checkpoints once, at the user record numbered {@code checkpointAt} (inside an aggregate when the
 * record is part of one), then tells {@code checkpointed} which record that was. It checkpoints
 * nowhere else, so the KCL leaves its lease at that record for the next application to resume from.
 *
 * @param number reads a record's number from its UTF-8 payload
 */
record KclCheckpointOnce(List<Integer> seen, ToIntFunction<String> number, int checkpointAt,
                         Consumer<KinesisClientRecord> checkpointed) implements ShardRecordProcessor {
    @Override
    public void initialize(InitializationInput input) {
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        for (KinesisClientRecord record : input.records()) {
            byte[] data = new byte[record.data().remaining()];
            record.data().get(data);
            int n = number.applyAsInt(new String(data, StandardCharsets.UTF_8));
            seen.add(n);
            if (n == checkpointAt) {
                try {
                    input.checkpointer().checkpoint(record.sequenceNumber(), record.subSequenceNumber());
                } catch (KinesisClientLibException e) {
                    throw new IllegalStateException("KCL checkpoint failed", e);
                }
                checkpointed.accept(record);
            }
        }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
    }
}
