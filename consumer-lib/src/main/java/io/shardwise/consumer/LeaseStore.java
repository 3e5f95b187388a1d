package io.shardwise.consumer;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Where leases live: {@link LeaseTable} (DynamoDB, the KCL's schema) in production,
 * {@link InMemoryLeaseStore} in fast tests of the coordinator and the lease protocol.
 *
 * <p>The contract both keep: every write to a lease except {@link #requestHandoff} is conditional
 * on the counter the caller last saw (and, for the holder's writes, on the owner) and bumps the
 * counter; a failed condition is an empty result (or false), never an exception. A write whose
 * outcome was lost in transit is resolved before returning: it either landed (a result) or did not.
 */
interface LeaseStore extends StoredTable {

    /** Every shard lease {@link #showOnly} lets through (and, from a DynamoDB table, the liveness items of earlier versions). */
    TableSnapshot scan();

    /**
     * Restricts what {@link #scan()} returns to the leases {@code filter} accepts: the lease rounds
     * of a multi-stream consumer never see, take or balance the leases of streams it does not track.
     */
    void showOnly(Predicate<Lease> filter);

    /** Every lease key in the store, whatever {@link #showOnly} hides. */
    List<String> allLeaseKeys();

    /** Deletes a lease whatever its state (the leases of a former stream, after the wait period). */
    void deleteLease(String leaseKey);

    /** A strongly consistent read of one lease. */
    Optional<Lease> get(String leaseKey);

    /** Creates a lease for a shard of a single-stream consumer unless one exists; true when this call created it. */
    default boolean createLease(String shardId, Checkpoint checkpoint, Set<String> parents, String startingHashKey,
                                String endingHashKey) {
        return createLease(shardId, checkpoint, parents, startingHashKey, endingHashKey, null, null);
    }

    /**
     * Creates a lease unless one exists; true when this call created it. A multi-stream lease also
     * carries the serialized stream identifier and the bare shard id ({@code streamId} and
     * {@code shardId}, null for a single-stream lease); {@code parents} are bare shard ids in both
     * forms, as the KCL stores them, and are read back as lease keys.
     */
    boolean createLease(String leaseKey, Checkpoint checkpoint, Set<String> parents, String startingHashKey,
                        String endingHashKey, String streamId, String shardId);

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
