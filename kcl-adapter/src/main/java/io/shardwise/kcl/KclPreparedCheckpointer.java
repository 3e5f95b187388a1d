package io.shardwise.kcl;

import io.shardwise.consumer.PreparedCheckpoint;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.processor.PreparedCheckpointer;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/** The KCL's view of a prepared two-phase checkpoint: {@link #checkpoint()} commits it. */
record KclPreparedCheckpointer(PreparedCheckpoint prepared) implements PreparedCheckpointer {

    @Override
    public ExtendedSequenceNumber pendingCheckpoint() {
        return KclPositions.toKcl(prepared.position());
    }

    @Override
    public void checkpoint() throws KinesisClientLibDependencyException, ShutdownException {
        KclExceptions.run(prepared::commit);
    }
}
