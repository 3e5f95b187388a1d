package io.shardwise.consumer;

import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Where leases live: {@link LeaseTable} (DynamoDB, the KCL's schema) in production,
 * {@link InMemoryLeaseStore} in fast tests of the coordinator and the lease protocol.
 *
 * <p>The contract both keep: every write to a lease except {@link #requestHandoff} is conditional
 * on the counter the caller last saw (and, for the holder's writes, on the owner) and bumps the
 * counter; a failed condition is an empty result (or false), never an exception. A write whose
 * outcome was lost in transit is resolved before returning: it either landed (a result) or did not.
 */
interface LeaseStore {

    String name();

    void createIfMissing();

    /** Every shard lease (and, from a DynamoDB table, the liveness items of earlier versions). */
    TableSnapshot scan();

    /** A strongly consistent read of one lease. */
    Optional<Lease> get(String leaseKey);

    /** Creates a lease for a shard unless one exists. Returns true when this call created it. */
    boolean createLease(String shardId, Checkpoint checkpoint, Set<String> parents, String startingHashKey,
                        String endingHashKey);

    /** Takes a free or expired lease: conditional on the counter this worker observed. */
    Optional<Lease> take(Lease observed, String newOwner);

    /** The holder hands its lease directly to another worker (graceful rebalancing). */
    Optional<Lease> transfer(String leaseKey, long counter, String owner, String newOwner);

    /** The holder gives its lease up: the owner is cleared, any worker may take it at once. */
    Optional<Lease> release(String leaseKey, long counter, String owner);

    /**
     * Asks the owner to hand its lease to {@code requester}. Does not bump the counter, so the
     * owner's next checkpoint still succeeds; the owner answers with {@link #transfer}.
     */
    boolean requestHandoff(Lease observed, String requester);

    /**
     * Writes a checkpoint (clearing any pending one). A failed write is retried for as long as
     * {@code leaseHeld} says the lease is still this worker's.
     */
    Optional<Lease> checkpoint(String leaseKey, long counter, String owner, Checkpoint checkpoint,
                               Set<String> childShardIds, long millisBehindLatest, BooleanSupplier leaseHeld);

    /** First phase of a two-phase checkpoint; retried like a checkpoint. */
    Optional<Lease> prepare(String leaseKey, long counter, String owner, Checkpoint pending, byte[] state,
                            BooleanSupplier leaseHeld);

    /** Deletes a finished lease (only while it still says SHARD_END). */
    boolean deleteFinished(String leaseKey);

    /** Deletes the liveness item an earlier Shardwise version kept among the leases. */
    void deleteLegacyWorker(String workerId);
}
