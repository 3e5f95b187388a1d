package io.shardwise.consumer;

import java.util.Optional;
import java.util.function.LongFunction;

/**
 * This worker's view of one lease it holds: the counter its next conditional write must match and
 * the stored checkpoint. Writes are serialized here, so the shard's thread (checkpoints) and the
 * coordinator (release, transfer) never race on the counter.
 */
final class HeldLease {
    private final String workerId;
    private final Lease initial;
    private long counter;
    private Checkpoint checkpoint;
    /** Set without the lock: a fence or a lost lease must not wait for a write in flight. */
    private volatile boolean lost;
    /** The last millisBehindLatest the shard's reads returned (-1 before the first), stored with checkpoints. */
    private volatile long millisBehindLatest = -1;

    HeldLease(String workerId, Lease lease) {
        this.workerId = workerId;
        this.initial = lease;
        this.counter = lease.counter();
        this.checkpoint = lease.checkpoint();
    }

    String shardId() {
        return initial.leaseKey();
    }

    Lease lease() {
        return initial;
    }

    synchronized long counter() {
        return counter;
    }

    synchronized Checkpoint checkpoint() {
        return checkpoint;
    }

    void reportMillisBehindLatest(long millis) {
        millisBehindLatest = millis;
    }

    long millisBehindLatest() {
        return millisBehindLatest;
    }

    boolean isLost() {
        return lost;
    }

    void markLost() {
        lost = true;
    }

    /**
     * Runs one conditional write with the current counter. On success adopts the new counter and
     * checkpoint; on a failed condition marks the lease lost and throws {@link LeaseLostException}.
     */
    synchronized Lease write(LongFunction<Optional<Lease>> conditionalWrite, String what) {
        if (lost) {
            throw new LeaseLostException(shardId(), workerId, "lost before " + what);
        }
        Optional<Lease> written = conditionalWrite.apply(counter);
        if (written.isEmpty()) {
            lost = true;
            throw new LeaseLostException(shardId(), workerId,
                    "the conditional " + what + " failed (lease counter or owner changed)");
        }
        counter = written.get().counter();
        checkpoint = written.get().checkpoint();
        return written.get();
    }
}
