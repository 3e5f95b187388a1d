package io.shardwise.kcl;

import io.shardwise.consumer.Checkpoint;
import io.shardwise.consumer.Checkpointer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.processor.PreparedCheckpointer;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;

/**
 * The KCL's checkpointer over Shardwise's. {@code largestPermitted} is the KCL's "largest permitted
 * checkpoint value": the last record delivered so far, or SHARD_END once the shard ended. It is what
 * {@link #checkpoint()} and {@link #prepareCheckpoint()} use, as in the KCL.
 *
 * <p>As in the KCL 3.x, {@code checkpoint(Record)} and {@code checkpoint(String)} checkpoint at
 * sub-sequence number 0 of that sequence number; a processor of KPL aggregates passes the
 * sub-sequence number of a {@code KinesisClientRecord} with {@code checkpoint(String, long)}.
 */
final class KclCheckpointer implements RecordProcessorCheckpointer {
    private final Checkpointer shardwise;
    private final Supplier<Checkpoint> largestPermitted;

    KclCheckpointer(Checkpointer shardwise, Supplier<Checkpoint> largestPermitted) {
        this.shardwise = shardwise;
        this.largestPermitted = largestPermitted;
    }

    @Override
    public void checkpoint() throws KinesisClientLibDependencyException, ShutdownException {
        Checkpoint position = largestPermitted.get();
        if (position.isShardEnd()) {
            KclExceptions.run(() -> shardwise.checkpoint(Checkpoint.SHARD_END));
        } else {
            KclExceptions.run(shardwise::checkpoint);
        }
    }

    @Override
    public void checkpoint(Record record) throws KinesisClientLibDependencyException, ShutdownException {
        checkpoint(sequenceNumberOf(record), 0);
    }

    @Override
    public void checkpoint(String sequenceNumber) throws KinesisClientLibDependencyException, ShutdownException {
        checkpoint(sequenceNumber, 0);
    }

    @Override
    public void checkpoint(String sequenceNumber, long subSequenceNumber)
            throws KinesisClientLibDependencyException, ShutdownException {
        Checkpoint position = KclPositions.fromKcl(sequenceNumber, subSequenceNumber);
        KclExceptions.run(() -> shardwise.checkpoint(position));
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint() throws KinesisClientLibDependencyException, ShutdownException {
        return prepare(largestPermitted.get(), null);
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(byte[] applicationState)
            throws KinesisClientLibDependencyException, ShutdownException {
        return prepare(largestPermitted.get(), applicationState);
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(Record record)
            throws KinesisClientLibDependencyException, ShutdownException {
        return prepareCheckpoint(sequenceNumberOf(record), 0, null);
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(Record record, byte[] applicationState)
            throws KinesisClientLibDependencyException, ShutdownException {
        return prepareCheckpoint(sequenceNumberOf(record), 0, applicationState);
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(String sequenceNumber)
            throws KinesisClientLibDependencyException, ShutdownException {
        return prepareCheckpoint(sequenceNumber, 0, null);
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, byte[] applicationState)
            throws KinesisClientLibDependencyException, ShutdownException {
        return prepareCheckpoint(sequenceNumber, 0, applicationState);
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, long subSequenceNumber)
            throws KinesisClientLibDependencyException, ShutdownException {
        return prepareCheckpoint(sequenceNumber, subSequenceNumber, null);
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, long subSequenceNumber,
                                                  byte[] applicationState)
            throws KinesisClientLibDependencyException, ShutdownException {
        return prepare(KclPositions.fromKcl(sequenceNumber, subSequenceNumber), applicationState);
    }

    /**
     * The KCL's own checkpoint store (its lease-table DAO). Shardwise keeps checkpoints in its own
     * lease table code; processors checkpoint through this checkpointer instead.
     */
    @Override
    public software.amazon.kinesis.processor.Checkpointer checkpointer() {
        throw new UnsupportedOperationException("RecordProcessorCheckpointer.checkpointer() (the KCL's checkpoint"
                + " store) is not available on Shardwise; use this checkpointer's checkpoint(...) and"
                + " prepareCheckpoint(...) methods instead");
    }

    private PreparedCheckpointer prepare(Checkpoint position, byte[] applicationState)
            throws KinesisClientLibDependencyException, ShutdownException {
        io.shardwise.consumer.PreparedCheckpoint prepared =
                KclExceptions.translate(() -> shardwise.prepareCheckpoint(position, applicationState));
        return new KclPreparedCheckpointer(prepared);
    }

    private static String sequenceNumberOf(Record record) {
        if (record == null) {
            throw new IllegalArgumentException("cannot checkpoint at a null record; pass a record this processor"
                    + " received");
        }
        return record.sequenceNumber();
    }
}
