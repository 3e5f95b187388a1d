package io.shardwise.kcl;

import io.shardwise.consumer.Checkpoint;
import io.shardwise.consumer.Checkpointer;
import io.shardwise.consumer.ConsumerRecord;
import io.shardwise.consumer.PreparedCheckpoint;
import java.util.ArrayList;
import java.util.List;

/** A Shardwise checkpointer that records what it was asked, and fails every call with {@link #failWith} when set. */
final class RecordingCheckpointer implements Checkpointer {
    final List<String> calls = new ArrayList<>();
    RuntimeException failWith;
    byte[] preparedState;

    @Override
    public void checkpoint() {
        record("checkpoint()");
    }

    @Override
    public void checkpoint(ConsumerRecord record) {
        record("checkpoint(record " + record.position() + ")");
    }

    @Override
    public void checkpoint(Checkpoint position) {
        record("checkpoint(" + position + ")");
    }

    @Override
    public PreparedCheckpoint prepareCheckpoint(Checkpoint position, byte[] applicationState) {
        record("prepare(" + position + ")");
        preparedState = applicationState;
        return new PreparedCheckpoint() {
            @Override
            public Checkpoint position() {
                return position;
            }

            @Override
            public void commit() {
                record("commit(" + position + ")");
            }
        };
    }

    @Override
    public Checkpoint lastCheckpoint() {
        return Checkpoint.TRIM_HORIZON;
    }

    private void record(String call) {
        if (failWith != null) {
            throw failWith;
        }
        calls.add(call);
    }
}
