package io.shardwise.consumer;

import java.util.Set;

/**
 * The {@link Checkpointer} of one shard worker. It refuses positions beyond the last record handed
 * to the processor and positions behind the stored checkpoint; SHARD_END only once the shard ended.
 */
final class ShardCheckpointer implements Checkpointer {
    private final HeldLease held;
    private final LeaseStore table;
    private final String workerId;
    private final ConsumerMetrics metrics;
    private volatile Checkpoint lastDelivered;
    /** True while the processor gets a batch again after a failed attempt. */
    private volatile boolean redelivery;
    private volatile boolean shardEnded;
    private volatile Set<String> childShardIds = Set.of();

    ShardCheckpointer(HeldLease held, LeaseStore table, String workerId, ConsumerMetrics metrics) {
        this.held = held;
        this.table = table;
        this.workerId = workerId;
        this.metrics = metrics;
        this.lastDelivered = held.checkpoint();
    }

    void delivered(Checkpoint position) {
        delivered(position, false);
    }

    /**
     * The processor was given records up to {@code position}; {@code again} when this is a retry of a
     * batch, inside which a checkpoint at or below the stored one is a no-op: the failed attempt
     * checkpointed it already.
     */
    void delivered(Checkpoint position, boolean again) {
        lastDelivered = position;
        redelivery = again;
    }

    Checkpoint lastDelivered() {
        return lastDelivered;
    }

    void shardEnded(Set<String> children) {
        childShardIds = Set.copyOf(children);
        shardEnded = true;
    }

    @Override
    public void checkpoint() {
        if (shardEnded) {
            checkpoint(Checkpoint.SHARD_END);
        } else if (lastDelivered.isPosition()) {
            checkpoint(lastDelivered);
        }
    }

    @Override
    public void checkpoint(ConsumerRecord record) {
        checkpoint(record.position());
    }

    @Override
    public void checkpoint(Checkpoint position) {
        Checkpoint stored = held.checkpoint();
        if (stored.equals(position) || redelivery && position.isPosition() && position.compareTo(stored) < 0) {
            return;
        }
        validate(position);
        long start = System.nanoTime();
        Set<String> children = position.isShardEnd() ? childShardIds : Set.of();
        write(counter -> table.checkpoint(held.shardId(), counter, workerId, position, children, held.millisBehindLatest(),
                this::leaseHeld),
                "checkpoint");
        metrics.checkpointed(System.nanoTime() - start);
    }

    @Override
    public PreparedCheckpoint prepareCheckpoint(Checkpoint position, byte[] applicationState) {
        validate(position);
        write(counter -> table.prepare(held.shardId(), counter, workerId, position, applicationState,
                this::leaseHeld), "prepare checkpoint");
        return new Prepared(position, this);
    }

    private boolean leaseHeld() {
        return !held.isLost();
    }

    /**
     * A checkpoint write is retried as a checkpoint while the lease is held (see {@code LeaseTable});
     * it fails only when the lease is gone, so a processor never re-runs a batch for a slow table.
     */
    private void write(java.util.function.LongFunction<java.util.Optional<Lease>> conditionalWrite, String what) {
        try {
            held.write(conditionalWrite, what);
        } catch (RuntimeException e) {
            if (held.isLost() && !(e instanceof LeaseLostException)) {
                throw new LeaseLostException(held.shardId(), workerId, what + " failed after the lease was lost: " + e);
            }
            throw e;
        }
    }

    @Override
    public Checkpoint lastCheckpoint() {
        return held.checkpoint();
    }

    private void validate(Checkpoint position) {
        if (position.isShardEnd()) {
            if (!shardEnded) {
                throw new CheckpointException("SHARD_END for " + held.shardId()
                        + " before the end of the shard was reached");
            }
            return;
        }
        if (position.isSentinel()) {
            throw new CheckpointException("cannot checkpoint " + held.shardId() + " at " + position
                    + ": only record positions and SHARD_END");
        }
        if (lastDelivered.isSentinel() && !lastDelivered.isShardEnd() || position.compareTo(lastDelivered) > 0) {
            throw new CheckpointException("checkpoint " + position + " for " + held.shardId()
                    + " is beyond the last delivered record " + lastDelivered);
        }
        Checkpoint stored = held.checkpoint();
        if (position.compareTo(stored) < 0) {
            throw new CheckpointException("checkpoint " + position + " for " + held.shardId()
                    + " is behind the stored checkpoint " + stored + ": checkpoints only move forward");
        }
    }

    /** A prepared checkpoint; committing it checkpoints its position, with the same checks as any checkpoint. */
    private record Prepared(Checkpoint position, ShardCheckpointer checkpointer) implements PreparedCheckpoint {
        @Override
        public void commit() {
            checkpointer.checkpoint(position);
        }
    }
}
